import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { SpanContext } from '@opentelemetry/api';
import { LazyRootSpan } from '../trace/ids.js';

/** Called once: with the response when it finished, without when the request was aborted. */
export type Done = (request: InFlight, res: ServerResponse | undefined) => void;

/**
 * Requests the middleware has seen and not yet recorded, found without writing to the
 * request or the response. Express gives each request and response a new prototype, after
 * which every property V8 adds to them (a symbol, an `on('close')` listener's count) costs
 * microseconds; the connection's socket keeps one shape. So a request is kept on its socket,
 * Node's `http.server.response.finish` diagnostics channel says when its response finished,
 * and the socket's `close` (one listener per connection) says which were aborted.
 *
 * A record is reused: once its request is recorded it becomes its connection's spare, which
 * the connection's next request fills (one record per connection, more only while
 * pipelined requests queue), so a request allocates nothing here. Its fields are read
 * while the request is in flight and in `done`, never kept after.
 */
export class InFlight {
  req: IncomingMessage | undefined;
  /** `performance.now()` when the middleware saw the request. */
  started = 0;
  span: SpanContext | undefined;
  /** Whether `span` is valid (can label an exemplar): known for the spans the middleware made. */
  valid = false;
  done: Done | undefined;
  #own: LazyRootSpan | undefined;

  /** This record's own new-trace span with new IDs, as `span` (valid). */
  newRootSpan(): void {
    this.span = (this.#own ??= new LazyRootSpan()).redraw();
    this.valid = true;
  }
}

const SLOT = Symbol('layerwatch.inFlight');

/** The connection's requests; more than one only while HTTP pipelining queues responses. */
interface Slot {
  current: InFlight | undefined;
  queued: InFlight[] | undefined;
  /** A recorded request's record, for the connection's next one. */
  spare: InFlight | undefined;
}
type TrackedSocket = Socket & { [SLOT]?: Slot };

let subscribed = false;

/**
 * A record for `req`, kept until its response finishes or its connection closes; the caller
 * fills in `started` and the span before the request goes on.
 */
export function track(req: IncomingMessage, res: ServerResponse, done: Done): InFlight {
  const socket = req.socket as TrackedSocket | null;
  if (socket === null || socket.destroyed) {
    // Not a live Node HTTP connection (no diagnostics channel would report it): listen here.
    const request = fill(new InFlight(), req, done);
    res.once('close', () => done(request, res.writableFinished ? res : undefined));
    return request;
  }
  if (!subscribed) {
    subscribed = true;
    subscribe('http.server.response.finish', onFinish);
  }
  let slot = socket[SLOT];
  if (slot === undefined) {
    slot = { current: undefined, queued: undefined, spare: undefined };
    socket[SLOT] = slot;
    socket.once('close', onSocketClose);
  }
  let request = slot.spare;
  if (request === undefined) request = new InFlight();
  else slot.spare = undefined;
  fill(request, req, done);
  if (slot.current === undefined) slot.current = request;
  else (slot.queued ??= []).push(request);
  return request;
}

function fill(request: InFlight, req: IncomingMessage, done: Done): InFlight {
  request.req = req;
  request.started = 0;
  request.span = undefined;
  request.valid = false;
  request.done = done;
  return request;
}

/** The in-flight request the middleware saw for `req`, if it is still in flight. */
export function inFlightOf(req: IncomingMessage): InFlight | undefined {
  const slot = (req.socket as TrackedSocket | null)?.[SLOT];
  if (slot === undefined) return undefined;
  if (slot.current?.req === req) return slot.current;
  return slot.queued?.find((request) => request.req === req);
}

interface FinishMessage {
  request: IncomingMessage;
  response: ServerResponse;
  socket: TrackedSocket;
}

function onFinish(message: unknown): void {
  const { request, response, socket } = message as FinishMessage;
  const slot = socket[SLOT];
  if (slot === undefined) return;
  // Every middleware that saw the request (two telemetries may share an app) records it.
  for (let found = take(slot, request); found !== undefined; found = take(slot, request)) {
    settle(found, response);
    found.req = undefined;
    found.span = undefined;
    found.done = undefined;
    slot.spare = found;
  }
}

function onSocketClose(this: TrackedSocket): void {
  const slot = this[SLOT];
  if (slot === undefined) return;
  const aborted = [slot.current, ...(slot.queued ?? [])];
  slot.current = undefined;
  slot.queued = undefined;
  slot.spare = undefined;
  for (const request of aborted) if (request !== undefined) settle(request, undefined);
}

/** A subscriber's exception would be rethrown by the channel and crash the process. */
function settle(request: InFlight, res: ServerResponse | undefined): void {
  try {
    request.done?.(request, res);
  } catch {
    // Recording never throws by design; a metric is not worth the service.
  }
}

function take(slot: Slot, req: IncomingMessage): InFlight | undefined {
  const { current, queued } = slot;
  if (current?.req === req) {
    slot.current = queued?.shift();
    return current;
  }
  const index = queued?.findIndex((request) => request.req === req) ?? -1;
  return index < 0 ? undefined : queued?.splice(index, 1)[0];
}
