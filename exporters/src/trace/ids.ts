import { randomFillSync } from 'node:crypto';

/**
 * Random W3C trace and span IDs from a pooled buffer: one `randomFillSync` per 256 IDs
 * rather than one per request.
 */
const pool = Buffer.allocUnsafe(4096);
let offset = pool.length;

function randomHex(bytes: number): string {
  for (;;) {
    if (offset + bytes > pool.length) {
      randomFillSync(pool);
      offset = 0;
    }
    const start = offset;
    offset += bytes;
    // All-zero IDs are invalid in W3C trace context; draw again (probability 2^-64 or less).
    for (let i = start; i < offset; i += 1) {
      if (pool[i] !== 0) return pool.toString('hex', start, offset);
    }
  }
}

/** 32 lower-case hex digits, never all zeros. */
export function newTraceId(): string {
  return randomHex(16);
}

/** 16 lower-case hex digits, never all zeros. */
export function newSpanId(): string {
  return randomHex(8);
}
