import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach, vi } from 'vitest';

// Without vitest globals, Testing Library cannot register its own cleanup. A test that
// fakes timers (a request deadline) gets real ones back after it.
afterEach(() => {
  vi.useRealTimers();
  cleanup();
});

// jsdom lacks what @grafana/ui reaches for at import time: matchMedia (uPlot), canvas.
Object.defineProperty(window, 'matchMedia', {
  writable: true,
  value: (query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => undefined,
    removeListener: () => undefined,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
    dispatchEvent: () => false,
  }),
});
HTMLCanvasElement.prototype.getContext = (() => null) as unknown as HTMLCanvasElement['getContext'];

// Icons are fetched SVGs in Grafana; here a plain element stands in for them.
vi.mock('react-inlinesvg', () => ({
  default: ({ title }: { title?: string }) => (title ? `[${title}]` : null),
}));
