import type { Socket } from 'node:net';
import { StringDecoder } from 'node:string_decoder';

export type ExpectResult =
  | { readonly line: string; readonly match: RegExpExecArray }
  /** No line matched: the peer closed (`ended`), or `bytes` reached the cap first. */
  | { readonly ended: boolean; readonly bytes: number };

/**
 * Reads a socket line by line, as Go's `bufio.Scanner` does for blackbox_exporter. It
 * takes one chunk at a time and keeps the socket paused in between, so what a peer
 * floods stays in the kernel's buffers (and then the peer's) instead of our memory.
 */
export class LineReader {
  private text = '';
  private readonly decoder = new StringDecoder('utf8');
  private readonly chunks: Buffer[] = [];
  private ended = false;
  private failure: { readonly error: unknown } | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly socket: Socket,
    private readonly signal: AbortSignal,
  ) {
    // Paused before listening, so the 'data' listener does not start the flow.
    socket.pause();
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('close', this.onEnd);
    socket.on('error', this.onError);
  }

  /**
   * Reads lines until one matches `regexp`, testing each line without its `\n` or `\r\n`.
   * Gives up after `maxBytes` read by this call; throws on a socket error or abort.
   */
  async expect(
    regexp: RegExp,
    maxBytes: number,
    onLine: (line: string) => void,
  ): Promise<ExpectResult> {
    let bytes = 0;
    for (;;) {
      const newline = this.text.indexOf('\n');
      if (newline >= 0) {
        const line = this.text.slice(0, newline).replace(/\r$/, '');
        this.text = this.text.slice(newline + 1);
        onLine(line);
        const match = regexp.exec(line);
        if (match) return { line, match };
        continue;
      }
      if (bytes >= maxBytes) return { ended: false, bytes };
      const chunk = await this.nextChunk();
      if (chunk === undefined) return this.finalLine(regexp, onLine, bytes);
      bytes += chunk.length;
      this.text += this.decoder.write(chunk);
    }
  }

  /** Stops reading, so another reader (a TLS socket, for STARTTLS) can take the socket. */
  detach(): void {
    this.socket.off('data', this.onData);
    this.socket.off('end', this.onEnd);
    this.socket.off('close', this.onEnd);
    this.socket.off('error', this.onError);
  }

  // Like bufio.Scanner, a last line without a newline still counts once the peer closes.
  private finalLine(regexp: RegExp, onLine: (line: string) => void, bytes: number): ExpectResult {
    const line = this.text + this.decoder.end();
    this.text = '';
    if (line !== '') {
      onLine(line);
      const match = regexp.exec(line);
      if (match) return { line, match };
    }
    return { ended: true, bytes };
  }

  private async nextChunk(): Promise<Buffer | undefined> {
    for (;;) {
      this.signal.throwIfAborted();
      const chunk = this.chunks.shift();
      if (chunk !== undefined) return chunk;
      if (this.failure) throw this.failure.error;
      if (this.ended) return undefined;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        this.socket.resume();
      });
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private readonly onData = (chunk: Buffer): void => {
    this.socket.pause();
    this.chunks.push(chunk);
    this.notify();
  };

  private readonly onEnd = (): void => {
    this.ended = true;
    this.notify();
  };

  private readonly onError = (error: unknown): void => {
    this.failure ??= { error };
    this.notify();
  };
}
