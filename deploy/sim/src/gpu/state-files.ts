import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CSV_FIELDS, csvValue, helpQueryGpu } from './csv-fields.js';
import type { GpuReading } from './model.js';
import { queryXml } from './query-xml.js';

/**
 * The files the stand-in nvidia-smi reads: `fields/<field>` (its CSV header cell),
 * `gpus/<index>/<field>` (its value), `help-query-gpu.txt` and `query.xml`. Each is replaced
 * by a rename, so a run never reads half a file; unchanged values are not rewritten.
 */
export class GpuStateFiles {
  readonly #written = new Map<string, string>();

  constructor(readonly dir: string) {}

  async init(gpuCount: number): Promise<void> {
    await mkdir(join(this.dir, 'fields'), { recursive: true });
    for (let i = 0; i < gpuCount; i++)
      await mkdir(join(this.dir, 'gpus', String(i)), { recursive: true });
    for (const [field, spec] of Object.entries(CSV_FIELDS)) {
      await this.#put(join('fields', field), spec.header);
    }
    await this.#put('help-query-gpu.txt', helpQueryGpu());
  }

  async write(readings: readonly GpuReading[], driverVersion: string, now: Date): Promise<void> {
    for (const gpu of readings) {
      for (const field of Object.keys(CSV_FIELDS)) {
        await this.#put(join('gpus', String(gpu.spec.index), field), csvValue(field, gpu));
      }
    }
    await this.#put('query.xml', queryXml(readings, driverVersion, now));
  }

  async #put(relative: string, text: string): Promise<void> {
    if (this.#written.get(relative) === text) return;
    const file = join(this.dir, relative);
    const temporary = `${file}.tmp`;
    await writeFile(temporary, text.endsWith('\n') ? text : `${text}\n`);
    await rename(temporary, file);
    this.#written.set(relative, text);
  }
}
