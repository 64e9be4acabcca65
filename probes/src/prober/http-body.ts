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
export async function readBody(
  body: Readable,
  limit: number,
  keepText: boolean,
): Promise<BodyRead> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > limit) {
      body.destroy();
      return { bytes, text: undefined, tooLarge: true };
    }
    if (keepText) chunks.push(chunk);
  }
  return {
    bytes,
    text: keepText ? Buffer.concat(chunks).toString('utf8') : undefined,
    tooLarge: false,
  };
}
