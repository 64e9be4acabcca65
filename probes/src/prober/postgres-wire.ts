import type { Duplex } from 'node:stream';

/** Protocol 3.0, the one every server since 7.4 speaks. */
const PROTOCOL_3_0 = 196608;
const SSL_REQUEST_CODE = 80877103;
/** libpq gives up on a startup-phase message longer than this: it is not PostgreSQL. */
const MAX_STARTUP_MESSAGE = 30_000;

/** The peer sent bytes that are not the PostgreSQL protocol. */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
}

/** The peer closed the connection before a complete answer. */
export class PeerClosedError extends Error {
  override readonly name = 'PeerClosedError';
}

/** StartupMessage: length, protocol version, then `name\0value\0` pairs and a final `\0`. */
export function startupMessage(parameters: Readonly<Record<string, string>>): Buffer {
  const body = Object.entries(parameters)
    .map(([name, value]) => `${name}\0${value}\0`)
    .join('');
  const text = Buffer.from(`${body}\0`, 'utf8');
  const header = Buffer.alloc(8);
  header.writeInt32BE(8 + text.length, 0);
  header.writeInt32BE(PROTOCOL_3_0, 4);
  return Buffer.concat([header, text]);
}

/** SSLRequest: the server answers one byte, `S` (go ahead with TLS) or `N`. */
export function sslRequest(): Buffer {
  const message = Buffer.alloc(8);
  message.writeInt32BE(8, 0);
  message.writeInt32BE(SSL_REQUEST_CODE, 4);
  return message;
}

/** ErrorResponse/NoticeResponse fields by their one-letter code (`C` SQLSTATE, `M` message). */
export function errorFields(payload: Buffer): Map<string, string> {
  const fields = new Map<string, string>();
  let at = 0;
  while (at < payload.length && payload[at] !== 0) {
    const end = payload.indexOf(0, at + 1);
    if (end < 0) break;
    fields.set(String.fromCharCode(payload[at] ?? 0), payload.toString('utf8', at + 1, end));
    at = end + 1;
  }
  return fields;
}

export interface BackendMessage {
  readonly type: string;
  readonly payload: Buffer;
}

/**
 * Reads a stream as single bytes or whole backend messages (type byte, int32 length,
 * payload). A failed or closed stream rejects the pending read.
 */
export class WireReader {
  private buffered = Buffer.alloc(0);
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  private readonly stop: () => void;

  constructor(stream: Duplex) {
    const onData = (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      this.notify();
    };
    const onError = (error: Error) => this.fail(error);
    const onEnd = () => this.fail(new PeerClosedError('the server closed the connection'));
    stream.on('data', onData).on('error', onError).on('end', onEnd).on('close', onEnd);
    this.stop = () => {
      stream.off('data', onData).off('error', onError).off('end', onEnd).off('close', onEnd);
    };
  }

  /** Stops reading and returns what arrived but was not read. */
  detach(): Buffer {
    this.stop();
    return this.buffered;
  }

  async readByte(): Promise<number> {
    return (await this.take(1))[0] ?? 0;
  }

  async readMessage(): Promise<BackendMessage> {
    const header = await this.take(5);
    const type = String.fromCharCode(header[0] ?? 0);
    const length = header.readInt32BE(1);
    if (length < 4 || length > MAX_STARTUP_MESSAGE) {
      throw new ProtocolError(
        `not PostgreSQL: message ${JSON.stringify(type)} claims ${length} bytes`,
      );
    }
    return { type, payload: await this.take(length - 4) };
  }

  private async take(count: number): Promise<Buffer> {
    while (this.buffered.length < count) {
      if (this.failure) throw this.failure;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    const taken = this.buffered.subarray(0, count);
    this.buffered = this.buffered.subarray(count);
    return taken;
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
