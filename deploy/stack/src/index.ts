export { runUpCli } from './up.js';
export {
  startStack,
  stopStack,
  formatUrlTable,
  STACK_PORTS,
  type StackPart,
  type StackOptions,
} from './stack.js';
export { startLoop, type LoopOptions, type LoopTokens, type RunningLoop } from './loop.js';
