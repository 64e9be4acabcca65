import { performance } from 'node:perf_hooks';
import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import { SETTLE_GRACE_MS, type Cancellable } from './types.js';

/** What the exchange needs to know before the response arrives. */
export interface ExchangeRules {
  /** Bytes of body read at most; past it the connection is dropped (`tooLarge`). */
  readonly bodySizeLimit: number;
  /** A rule reads the final body: keep it as text. */
  readonly needsBodyText: boolean;
  /** A redirect's body is never the final one when redirects are followed. */
  readonly followRedirects: boolean;
}

/** Why an exchange stopped reading: the body passed `bodySizeLimit`. */
const BODY_TOO_LARGE = new Error('body exceeds body_size_limit');

/**
 * One request and its response through undici's `dispatch`, as one object: the handler
 * undici calls, the deadline's cancel, and the result the prober reads once `done` resolves.
 * Compared with `request()`, no body stream, no AbortSignal listener and no promise but
 * `done` per request: the body is counted (and kept only when a rule reads it) as it
 * arrives. `done` never rejects: an error is in `error`, with `headersAt` telling whether it
 * came before the response (0) or while reading its body.
 */
export class HttpExchange implements Dispatcher.DispatchHandler, Cancellable {
  statusCode = 0;
  /** Content-Length as Go reports it: -1 when the header is absent (chunked). */
  contentLength = -1;
  location: string | undefined;
  lastModified: string | undefined;
  /** `performance.now()` at the response headers; 0 while none came. */
  headersAt = 0;
  endedAt = 0;
  bodyBytes = 0;
  tooLarge = false;
  error: Error | undefined;
  /** `performance.now()` when the request was handed to undici. */
  sentAt = 0;
  readonly done: Promise<void>;
  private chunks: Buffer[] | undefined;
  private controller: Dispatcher.DispatchController | undefined;
  private settle: () => void = () => undefined;

  constructor(
    private readonly rules: ExchangeRules,
    /** Cancels the exchange before it has a connection (destroys the probe's own client). */
    private readonly drop: (reason: Error) => void,
  ) {
    this.done = new Promise((resolve) => (this.settle = resolve));
  }

  /** The body as text, when it was kept. */
  text(): string | undefined {
    return this.chunks && Buffer.concat(this.chunks).toString('utf8');
  }

  cancel(reason: Error): void {
    if (this.endedAt) return;
    if (this.controller) this.controller.abort(reason);
    else this.drop(reason);
    // `done` resolves even if undici never calls back: whoever awaits it needs no race.
    setTimeout(() => this.onResponseError(undefined, reason), SETTLE_GRACE_MS).unref();
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: IncomingHttpHeaders,
  ): void {
    this.headersAt = performance.now();
    this.statusCode = statusCode;
    this.contentLength = numberOr(headers['content-length'], -1);
    this.location = first(headers.location);
    this.lastModified = first(headers['last-modified']);
    const redirect = statusCode >= 300 && statusCode < 400 && this.location !== undefined;
    const final = !redirect || !this.rules.followRedirects;
    if (final && this.rules.needsBodyText) this.chunks = [];
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.bodyBytes += chunk.length;
    if (this.bodyBytes > this.rules.bodySizeLimit) {
      this.tooLarge = true;
      this.chunks = undefined;
      controller.abort(BODY_TOO_LARGE); // destroys the socket: no more of it is read
      return;
    }
    this.chunks?.push(chunk);
  }

  onResponseEnd(): void {
    if (this.endedAt) return;
    this.endedAt = performance.now();
    this.settle();
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error): void {
    if (this.endedAt) return; // settled already (by undici, or by the cancel's grace)
    this.endedAt = performance.now();
    if (!this.tooLarge) this.error = error;
    this.settle();
  }
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function numberOr(value: string | string[] | undefined, fallback: number): number {
  const parsed = Number(value);
  return value !== undefined && !Array.isArray(value) && Number.isFinite(parsed)
    ? parsed
    : fallback;
}
