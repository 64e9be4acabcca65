import { randomFillSync } from 'node:crypto';
import { TraceFlags, type SpanContext } from '@opentelemetry/api';

/**
 * Random W3C trace and span IDs from a pooled buffer: one `randomFillSync` per 4 KiB of IDs
 * rather than one per request.
 */
const pool = Buffer.allocUnsafe(4096);
let offset = pool.length;

/** Whether the pool's bytes `start` to `end` are all zero (an empty range is not). */
function zero(start: number, end: number): boolean {
  for (let i = start; i < end; i += 1) if (pool[i] !== 0) return false;
  return start < end;
}

/**
 * `bytes` random bytes as hex, drawn again while the first `split` bytes or the rest are all
 * zero (all-zero IDs are invalid in W3C trace context; probability 2^-64 or less).
 */
function randomHex(bytes: number, split = bytes): string {
  for (;;) {
    if (offset + bytes > pool.length) {
      randomFillSync(pool);
      offset = 0;
    }
    const start = offset;
    offset += bytes;
    if (!zero(start, start + split) && !zero(start + split, offset)) {
      return pool.toString('hex', start, offset);
    }
  }
}

/** 16 lower-case hex digits, never all zeros. */
export function newSpanId(): string {
  return randomHex(8);
}

/** A new unsampled trace's span (32 and 16 hex digits): both IDs from one hex conversion. */
export function newRootSpan(): SpanContext {
  const hex = randomHex(24, 16);
  return { traceId: hex.slice(0, 32), spanId: hex.slice(32), traceFlags: TraceFlags.NONE };
}
