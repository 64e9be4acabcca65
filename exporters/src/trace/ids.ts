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
 * Where in the pool `bytes` fresh random bytes start, drawn again while the first `split`
 * bytes or the rest are all zero (all-zero IDs are invalid in W3C trace context;
 * probability 2^-64 or less).
 */
function draw(bytes: number, split = bytes): number {
  for (;;) {
    if (offset + bytes > pool.length) {
      randomFillSync(pool);
      offset = 0;
    }
    const start = offset;
    offset += bytes;
    if (!zero(start, start + split) && !zero(start + split, offset)) return start;
  }
}

/** `bytes` random bytes as hex (see `draw`). */
function randomHex(bytes: number, split = bytes): string {
  const start = draw(bytes, split);
  return pool.toString('hex', start, start + bytes);
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

/** Bytes of a trace ID (16) and its span ID (8). */
const ID_BYTES = 24;

/**
 * A new unsampled trace's span whose IDs are kept as bytes and written as hex only when
 * read (an exemplar rendered, a `traceparent` sent): the request middleware's span, one per
 * connection, drawn again for each request (`redraw`) with no allocation. Valid by
 * construction. Whoever keeps a span past the request copies it (`copyFrom` or `snapshot`).
 */
export class LazyRootSpan implements SpanContext {
  readonly traceFlags = TraceFlags.NONE;
  readonly #bytes = Buffer.alloc(ID_BYTES);
  #traceId: string | undefined;
  #spanId: string | undefined;

  get traceId(): string {
    return (this.#traceId ??= this.#bytes.toString('hex', 0, 16));
  }

  get spanId(): string {
    return (this.#spanId ??= this.#bytes.toString('hex', 16, ID_BYTES));
  }

  /** New random IDs, never all zeros (as `newRootSpan`). */
  redraw(): this {
    const start = draw(ID_BYTES, 16);
    const bytes = this.#bytes;
    for (let i = 0; i < ID_BYTES; i += 1) bytes[i] = pool[start + i] as number;
    this.#traceId = undefined;
    this.#spanId = undefined;
    return this;
  }

  /** Takes `other`'s IDs (and their hex, if already written): a byte copy, no allocation. */
  copyFrom(other: LazyRootSpan): void {
    const from = other.#bytes;
    const to = this.#bytes;
    for (let i = 0; i < ID_BYTES; i += 1) to[i] = from[i] as number;
    this.#traceId = other.#traceId;
    this.#spanId = other.#spanId;
  }
}

/** A plain span context with `span`'s IDs, for keeping beyond the request. */
export function snapshot(span: SpanContext): SpanContext {
  if (!(span instanceof LazyRootSpan)) return span;
  return { traceId: span.traceId, spanId: span.spanId, traceFlags: span.traceFlags };
}
