import { describe, expect, it } from 'vitest';
import { HttpExchange } from '../src/prober/http-exchange.js';
import { SETTLE_GRACE_MS } from '../src/prober/types.js';

const rules = { bodySizeLimit: 1024, needsBodyText: false, followRedirects: true };

describe('HttpExchange', () => {
  it('settles by itself after a cancel that undici never answers, so a probe cannot hang', async () => {
    const dropped: Error[] = [];
    const exchange = new HttpExchange(rules, (reason) => dropped.push(reason));
    const reason = new Error('probe timed out after 5 ms');
    const started = performance.now();
    exchange.cancel(reason);
    await exchange.done;
    expect(dropped).toEqual([reason]);
    expect(exchange.error).toBe(reason);
    expect(exchange.headersAt).toBe(0);
    expect(performance.now() - started).toBeGreaterThanOrEqual(SETTLE_GRACE_MS - 5);
  });

  it('keeps what undici reported when it answers the cancel before the grace ends', async () => {
    const exchange = new HttpExchange(rules, () => undefined);
    const aborted = new Error('aborted by undici');
    exchange.cancel(new Error('deadline'));
    exchange.onResponseError(undefined, aborted);
    await exchange.done;
    await new Promise((resolve) => setTimeout(resolve, SETTLE_GRACE_MS + 20));
    expect(exchange.error).toBe(aborted);
  });

  it('ignores a cancel after the response ended', async () => {
    const dropped: Error[] = [];
    const exchange = new HttpExchange(rules, (reason) => dropped.push(reason));
    exchange.onResponseEnd();
    exchange.cancel(new Error('late deadline'));
    await exchange.done;
    await new Promise((resolve) => setTimeout(resolve, SETTLE_GRACE_MS + 20));
    expect(dropped).toEqual([]);
    expect(exchange.error).toBeUndefined();
  });
});
