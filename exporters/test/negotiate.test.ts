import { describe, expect, it } from 'vitest';
import { negotiateFormat } from '../src/index.js';

describe('negotiateFormat', () => {
  it.each([
    [undefined, 'text'],
    ['*/*', 'text'],
    ['text/plain;version=0.0.4;q=1,*/*;q=0.1', 'text'],
    // What Prometheus 2.x sends by default:
    [
      'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
      'openmetrics',
    ],
    ['application/openmetrics-text', 'openmetrics'],
    ['application/openmetrics-text; version=1.0.0; charset=utf-8', 'openmetrics'],
    ['text/plain, application/openmetrics-text;q=0.5', 'text'],
    ['application/openmetrics-text;q=0', 'text'],
    ['application/openmetrics-text;q=abc', 'text'],
  ] as const)('%s → %s', (accept, format) => {
    expect(negotiateFormat(accept)).toBe(format);
  });
});
