import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LedgerInputError, LedgerWriter, type ExportRequest } from '../src/index.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'layerwatch-ledger-input-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const good: ExportRequest = {
  orderId: 'ORD-1',
  pivot: 'quilt',
  batch: '2026-11-23T10',
  files: [{ name: 'a.csv', content: 'x' }],
};

/** The message writeExport rejects with; nothing may have been written. */
async function refusal(overrides: Record<string, unknown>): Promise<string> {
  const request = { ...good, ...overrides } as ExportRequest;
  const error: unknown = await new LedgerWriter({ root }).writeExport(request).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LedgerInputError);
  expect(await readdir(root)).toEqual([]);
  return (error as Error).message;
}

const file = (name: string) => ({ files: [{ name, content: 'x' }] });

describe('LedgerWriter input checks', () => {
  it('accepts an exports folder written with a trailing slash', () => {
    expect(new LedgerWriter({ root, exportsDir: 'out/exports/' }).exportsDir).toBe('out/exports');
  });

  it.each([
    [{ orderId: '' }, 'orderId: must not be empty (got "")'],
    [
      { orderId: 'O'.repeat(201) },
      `orderId: must be at most 200 characters (got "${'O'.repeat(76)}...)`,
    ],
    [{ pivot: undefined }, 'pivot: is required'],
    [
      { batch: '2026-11-23' },
      'batch: must be the export hour in UTC as YYYY-MM-DDTHH, e.g. 2026-11-23T10 (got "2026-11-23")',
    ],
    [
      { batch: '2026-11-23T24' },
      'batch: must be the export hour in UTC as YYYY-MM-DDTHH, e.g. 2026-11-23T10 (got "2026-11-23T24")',
    ],
    [{ exportedAt: '2026-11-23' }, 'exportedAt: must be a Date (got "2026-11-23")'],
    [{ exportedAt: new Date('nope') }, 'exportedAt: must be a valid Date, not Invalid Date'],
    [{ files: [] }, 'files: must list at least one file (got [])'],
    [
      file('../up.csv'),
      'files[0].name: must be a file name without "/" or "\\": files stay in their batch folder (got "../up.csv")',
    ],
    [
      file('sub/a.csv'),
      'files[0].name: must be a file name without "/" or "\\": files stay in their batch folder (got "sub/a.csv")',
    ],
    [
      file('a\\b'),
      'files[0].name: must be a file name without "/" or "\\": files stay in their batch folder (got "a\\\\b")',
    ],
    [
      file('..'),
      'files[0].name: must not be "." or "..": files stay in their batch folder (got "..")',
    ],
    [file(''), 'files[0].name: must not be empty (got "")'],
    [file('a\0b'), 'files[0].name: must not contain a NUL byte (got "a\\u0000b")'],
    [
      file('x.lwtmp'),
      `files[0].name: must not end in ".lwtmp", which marks the writer's temp files (got "x.lwtmp")`,
    ],
    [
      { files: [{ name: 'a', content: 42 }] },
      'files[0].content: must be a Buffer, a string, a Readable or an async iterable of Buffers',
    ],
    [
      {
        files: [
          { name: 'a', content: 'x' },
          { name: 'a', content: 'y' },
        ],
      },
      'files[1].name: duplicates files[0].name; each file once per export',
    ],
    [
      { signOff: { by: '', at: 'later' } },
      'signOff.by: must name who signed off (got "")\nsignOff.at: must be an ISO 8601 time, e.g. 2026-11-23T10:30:00Z (got "later")',
    ],
    [{ sign_off: null }, 'sign_off: is not a field (did you mean "signOff"?)'],
    [
      { order: 1 },
      'order: is not a field; the fields are orderId, pivot, exportedAt, batch, files, signOff',
    ],
    [
      { files: [{ name: 'a', content: 'x', mode: 0o600 }] },
      'files[0].mode: is not a field; the fields are name, content',
    ],
  ])('refuses %j', async (overrides, message) => {
    expect(await refusal(overrides)).toBe(message);
  });

  it.each([
    [{ root: '' }, `LedgerWriter: root: must be the pipeline's folder (got "")`],
    [
      { ledger: '../index.json' },
      'LedgerWriter: ledger: must stay inside the root: ".." may not climb above it (got "../index.json")',
    ],
    [
      { exportsDir: '/srv/exports' },
      'LedgerWriter: exportsDir: must be relative to the root, not absolute (got "/srv/exports")',
    ],
    [
      { ledger: '' },
      'LedgerWriter: ledger: must be a non-empty path relative to the root (got "")',
    ],
    [
      { staleLockMs: 0 },
      'LedgerWriter: staleLockMs: must be a number of milliseconds above 0 (got 0)',
    ],
    [
      { lockTimeoutMs: Number.NaN },
      'LedgerWriter: lockTimeoutMs: must be a number of milliseconds above 0 (got NaN)',
    ],
    [
      { exportsDir: './' },
      'LedgerWriter: exportsDir: must be a folder below the root, not the root itself (got "./")',
    ],
  ])('refuses the options %j at construction', (overrides, message) => {
    expect(() => new LedgerWriter({ root, ...overrides })).toThrow(LedgerInputError);
    expect(() => new LedgerWriter({ root, ...overrides })).toThrow(message);
  });
});
