export * from './actions.js';
export * from './labels.js';
export * from './layers.js';
export * from './ports.js';
export * from './priorities.js';
export * from './gpu.js';
