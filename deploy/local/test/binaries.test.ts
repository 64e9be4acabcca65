import { describe, expect, it } from 'vitest';
import { findPostgresBinary, freePort } from '../src/index.js';

describe('findPostgresBinary', () => {
  it('finds the server binaries, on PATH or under /usr/lib/postgresql', () => {
    for (const name of ['initdb', 'pg_ctl', 'postgres'] as const) {
      expect(findPostgresBinary(name)).toMatch(new RegExp(`/${name}$`));
    }
  });

  it('falls back to /usr/lib/postgresql/<version>/bin when PATH has none', () => {
    const path = process.env['PATH'];
    process.env['PATH'] = '/nonexistent';
    try {
      expect(findPostgresBinary('postgres')).toMatch(
        /^\/usr\/lib\/postgresql\/[\d.]+\/bin\/postgres$/,
      );
    } finally {
      process.env['PATH'] = path;
    }
  });
});

describe('freePort', () => {
  it('returns a usable port number', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    expect(port).toBeLessThan(65536);
  });
});
