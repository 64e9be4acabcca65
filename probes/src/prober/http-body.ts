import type { Readable } from 'node:stream';

export interface BodyRead {
  readonly bytes: number;
  /** The body as text, kept only when a rule needs it. */
  readonly text: string | undefined;
  readonly tooLarge: boolean;
}

/**
 * Reads a response body up to `limit` bytes. Past the limit it stops reading and destroys
 * the stream, so a 1 GiB body costs at most `limit` bytes of memory and of transfer.
 * Throws what the stream throws (abort at the deadline, reset).
 */
export function readBody(body: Readable, limit: number, keepText: boolean): Promise<BodyRead> {
  // Stream events rather than `for await`: an async iterator costs a promise per chunk,
  // which shows on the scheduled path's profile.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    const onData = (chunk: Buffer): void => {
      bytes += chunk.length;
      if (bytes > limit) {
        body.off('data', onData);
        body.destroy();
        resolve({ bytes, text: undefined, tooLarge: true });
        return;
      }
      if (keepText) chunks.push(chunk);
    };
    body.on('data', onData);
    body.once('error', reject);
    body.once('end', () =>
      resolve({
        bytes,
        text: keepText ? Buffer.concat(chunks).toString('utf8') : undefined,
        tooLarge: false,
      }),
    );
  });
}
