import { describe, expect, it } from 'vitest';
import { LedgerError, parseLedger } from '../src/schema.js';

const SHA = 'a'.repeat(64);
const good = (overrides: Record<string, unknown> = {}) => ({
  order_id: 'ORD-1',
  pivot: 'quilt',
  batch: '2026-11-23T10',
  exported_at: '2026-11-23T10:04:00Z',
  evidence: [{ path: 'exports/a.csv', sha256: SHA, bytes: 3 }],
  sign_off: { by: 'qa@factory', at: '2026-11-23T10:30:00Z' },
  ...overrides,
});
const ledger = (...entries: unknown[]) => JSON.stringify({ version: 1, entries });
const problems = (...entries: unknown[]) =>
  parseLedger(ledger(...entries), 'index.json').invalid.map((entry) => entry.message);

describe('ledger schema', () => {
  it('accepts a valid entry, lowercases digests, and treats a missing sign-off as unsigned', () => {
    const parsed = parseLedger(
      ledger(
        good(),
        good({
          order_id: 'ORD-2',
          sign_off: null,
          evidence: [{ path: 'b', sha256: SHA.toUpperCase(), bytes: 0 }],
        }),
      ),
      'index.json',
    );
    expect(parsed.total).toBe(2);
    expect(parsed.invalid).toEqual([]);
    expect(parsed.valid[1]?.entry.evidence[0]?.sha256).toBe(SHA);
    expect(parsed.valid[1]?.entry.sign_off).toBeNull();
  });

  it('names the entry, its order ID, the field and what is valid for a bad digest', () => {
    const bad = good({ order_id: 'ORD-7', evidence: [{ path: 'a', sha256: 'abc', bytes: 1 }] });
    expect(problems(good(), bad)).toEqual([
      'entries[1] (order_id "ORD-7"): evidence[0].sha256: must be a SHA-256 digest: 64 hexadecimal characters (got "abc")',
    ]);
  });

  it('reports every problem of an entry, a missing field as required', () => {
    const withoutPivot: Record<string, unknown> = good({
      batch: '2026-11-23',
      exported_at: 'yesterday',
    });
    delete withoutPivot.pivot;
    expect(problems(withoutPivot)).toEqual([
      [
        'entries[0] (order_id "ORD-1"): pivot: is required',
        'entries[0] (order_id "ORD-1"): batch: must be the export hour in UTC as YYYY-MM-DDTHH, e.g. 2026-11-23T10 (got "2026-11-23")',
        'entries[0] (order_id "ORD-1"): exported_at: must be an ISO 8601 time, e.g. 2026-11-23T10:04:00Z (got "yesterday")',
      ].join('\n'),
    ]);
  });

  it('names an entry without an order ID by its index', () => {
    expect(problems(good({ order_id: '' }))).toEqual([
      'entries[0]: order_id: must not be empty (got "")',
    ]);
  });

  it.each([
    [
      '../secrets.txt',
      'must stay inside the root: ".." may not climb above it (got "../secrets.txt")',
    ],
    [
      'exports/../../x',
      'must stay inside the root: ".." may not climb above it (got "exports/../../x")',
    ],
    ['/etc/passwd', 'must be relative to the root, not absolute (got "/etc/passwd")'],
    ['exports/', 'must name a file, not a folder (got "exports/")'],
  ])('refuses the path %s', (path, message) => {
    expect(problems(good({ evidence: [{ path, sha256: SHA, bytes: 1 }] }))).toEqual([
      `entries[0] (order_id "ORD-1"): evidence[0].path: ${message}`,
    ]);
  });

  it('refuses duplicate order IDs and a file cited twice by one entry', () => {
    const twice = { path: './a', sha256: SHA, bytes: 1 };
    expect(
      problems(
        good(),
        good(),
        good({ order_id: 'ORD-3', evidence: [{ ...twice, path: 'a' }, twice] }),
      ),
    ).toEqual([
      'entries[1] (order_id "ORD-1"): order_id: duplicates entries[0]; order IDs must be unique',
      'entries[2] (order_id "ORD-3"): evidence[1].path: duplicates evidence[0].path; cite each file once per entry',
    ]);
  });

  it('keeps what an invalid entry cites and its batch, so its files are not orphans', () => {
    const parsed = parseLedger(ledger(good({ sign_off: { by: '' } })), 'index.json');
    expect(parsed.invalid[0]).toMatchObject({
      index: 0,
      orderId: 'ORD-1',
      citedPaths: ['exports/a.csv'],
      batch: '2026-11-23T10',
    });
  });

  it.each([
    ['{"version": 1, "entries": [', /^index\.json: not JSON, or truncated \(/],
    ['<html>', /^index\.json: not JSON, or truncated \(/],
    [
      '{"version": 2, "entries": []}',
      /^index\.json: version: must be 1 \(the only ledger version\) \(got 2\)$/,
    ],
    ['{"version": 1}', /^index\.json: entries: is required$/],
    ['[]', /^index\.json: \(top level\): Expected object, received array \(got \[\]\)$/],
  ])('throws LedgerError for the unusable ledger %s', (text, message) => {
    expect(() => parseLedger(text, 'index.json')).toThrow(LedgerError);
    expect(() => parseLedger(text, 'index.json')).toThrow(message);
  });
});
