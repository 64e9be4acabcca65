import { describe, expect, it } from 'vitest';
import { checkJsonAssertion, parseJsonAssertion } from '../src/prober/json-assertion.js';

describe('JSON assertions', () => {
  const document = {
    status: 'healthy',
    models: [{ name: 'm1', ready: true }],
    'odd-key': 3,
    nothing: null,
  };

  it.each([
    ['$.status == "healthy"', undefined],
    ['$.status != "degraded"', undefined],
    ['$.models[0].ready == true', undefined],
    ['$["odd-key"] == 3', undefined],
    ['$.models[0].name', undefined],
    ['$.status == "unhealthy"', '$.status == "unhealthy": found "healthy"'],
    ['$.models[1].ready == true', '$.models[1].ready == true: found nothing'],
    ['$.nothing', '$.nothing: found null'],
    ['$.status.deeper', '$.status.deeper: found nothing'],
  ])('%s', (source, expected) => {
    expect(checkJsonAssertion(parseJsonAssertion(source), document)).toBe(expected);
  });

  it('rejects a value that is not JSON, saying strings need quotes', () => {
    expect(() => parseJsonAssertion('$.status == healthy')).toThrow(
      'invalid JSON assertion "$.status == healthy": healthy is not a JSON value (strings need double quotes, e.g. "healthy")',
    );
  });

  it('rejects an expression that does not start at $', () => {
    expect(() => parseJsonAssertion('status == "x"')).toThrow(
      'invalid JSON assertion "status == "x"": expected "$.path", "$.path == <JSON value>" or "$.path != <JSON value>"',
    );
  });

  it('rejects a path step it cannot read', () => {
    expect(() => parseJsonAssertion('$.a[*] == 1')).toThrow(
      'invalid JSON assertion "$.a[*] == 1": cannot read the path at "[*]" (use .field, [index] or ["field"])',
    );
  });
});
