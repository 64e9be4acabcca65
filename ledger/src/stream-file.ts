import { createHash } from 'node:crypto';
import { open, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExportContent, ExportFile } from './write-input.js';
import { tempPathFor } from './temp-files.js';

/** A file written whole to its temp path, synced, and waiting to be renamed into place. */
export interface StagedFile {
  readonly name: string;
  readonly temp: string;
  readonly final: string;
  readonly sha256: string;
  readonly bytes: number;
}

/**
 * Streams each file to a temp file in `dir`, hashing every chunk as it is written (the
 * bytes are read once, from the source, never again from disk), and fsyncs it. On any
 * failure the temp files made so far are removed and the error is rethrown.
 */
export async function stageFiles(dir: string, files: readonly ExportFile[]): Promise<StagedFile[]> {
  const staged: StagedFile[] = [];
  try {
    for (const [index, file] of files.entries()) {
      staged.push(await stageFile(dir, file, index));
    }
    return staged;
  } catch (error) {
    await discard(staged);
    throw error;
  }
}

/** Removes temp files that were never renamed (a rename already done makes this a no-op). */
export async function discard(staged: readonly StagedFile[]): Promise<void> {
  await Promise.all(staged.map((file) => rm(file.temp, { force: true })));
}

async function stageFile(dir: string, file: ExportFile, index: number): Promise<StagedFile> {
  const final = join(dir, file.name);
  const temp = tempPathFor(final);
  const hash = createHash('sha256');
  let bytes = 0;
  const handle = await open(temp, 'wx', 0o644);
  try {
    for await (const chunk of chunksOf(file.content, index)) {
      hash.update(chunk);
      bytes += chunk.byteLength;
      await writeAll(handle, chunk);
    }
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  return { name: file.name, temp, final, sha256: hash.digest('hex'), bytes };
}

async function* chunksOf(content: ExportContent, index: number): AsyncIterable<Uint8Array> {
  if (typeof content === 'string') yield Buffer.from(content, 'utf8');
  else if (content instanceof Uint8Array) yield content;
  else {
    for await (const chunk of content as AsyncIterable<unknown>) {
      if (typeof chunk === 'string') yield Buffer.from(chunk, 'utf8');
      else if (chunk instanceof Uint8Array) yield chunk;
      else {
        const kind = chunk === null ? 'null' : typeof chunk;
        throw new TypeError(
          `files[${index}].content: yielded a ${kind}; chunks must be Buffers or strings`,
        );
      }
    }
  }
}

/** A write may take fewer bytes than given (rare for files, but allowed): loop until done. */
async function writeAll(handle: FileHandle, chunk: Uint8Array): Promise<void> {
  for (let offset = 0; offset < chunk.byteLength;) {
    const { bytesWritten } = await handle.write(chunk, offset, chunk.byteLength - offset);
    offset += bytesWritten;
  }
}
