import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { SpanContext } from '@opentelemetry/api';

/**
 * Requests the middleware has seen and not yet recorded, found without writing to the
 * request or the response. Express gives each request and response a new prototype, after
 * which every property V8 adds to them (a symbol, an `on('close')` listener's count) costs
 * microseconds; the connection's socket keeps one shape. So a request is kept on its socket,
 * Node's `http.server.response.finish` diagnostics channel says when its response finished,
 * and the socket's `close` (one listener per connection) says which were aborted.
 */
export interface InFlight {
  readonly req: IncomingMessage;
  /** `performance.now()` when the middleware saw the request. */
  readonly started: number;
  readonly span: SpanContext | undefined;
  /** Whether `span` is valid (can label an exemplar): known for the spans the middleware made. */
  readonly valid: boolean;
  /** Called once: with the response when it finished, without when the request was aborted. */
  readonly done: (request: InFlight, res: ServerResponse | undefined) => void;
}

const SLOT = Symbol('layerwatch.inFlight');

/** The connection's requests; more than one only while HTTP pipelining queues responses. */
interface Slot {
  current: InFlight | undefined;
  queued: InFlight[] | undefined;
}
type TrackedSocket = Socket & { [SLOT]?: Slot };

let subscribed = false;

/** Keeps `request` until its response finishes or its connection closes. */
export function track(request: InFlight, res: ServerResponse): void {
  const socket = request.req.socket as TrackedSocket | null;
  if (socket === null || socket.destroyed) {
    // Not a live Node HTTP connection (no diagnostics channel would report it): listen here.
    res.once('close', () => request.done(request, res.writableFinished ? res : undefined));
    return;
  }
  if (!subscribed) {
    subscribed = true;
    subscribe('http.server.response.finish', onFinish);
  }
  let slot = socket[SLOT];
  if (slot === undefined) {
    slot = { current: undefined, queued: undefined };
    socket[SLOT] = slot;
    socket.once('close', onSocketClose);
  }
  if (slot.current === undefined) slot.current = request;
  else (slot.queued ??= []).push(request);
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
  }
}

function onSocketClose(this: TrackedSocket): void {
  const slot = this[SLOT];
  if (slot === undefined) return;
  const aborted = [slot.current, ...(slot.queued ?? [])];
  slot.current = undefined;
  slot.queued = undefined;
  for (const request of aborted) if (request !== undefined) settle(request, undefined);
}

/** A subscriber's exception would be rethrown by the channel and crash the process. */
function settle(request: InFlight, res: ServerResponse | undefined): void {
  try {
    request.done(request, res);
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
