import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DEFAULT_EXPORTS_DIR, DEFAULT_LEDGER } from '../../src/defaults.js';

export const EXPORTS_DIR = DEFAULT_EXPORTS_DIR;
export const LEDGER = DEFAULT_LEDGER;

export interface EvidenceJson {
  path: string;
  sha256: string;
  bytes: number;
}

export interface EntryJson {
  order_id: string;
  pivot: string;
  batch: string;
  exported_at: string;
  evidence: EvidenceJson[];
  sign_off: { by: string; at: string } | null;
}

/** A pipeline checkout in a temp dir: exported files and the ledger citing them. */
export interface LedgerRoot {
  readonly root: string;
  /** Writes `content` at `exports/<name>` and returns its evidence (path, sha256, bytes). */
  exportFile(name: string, content: string | Buffer): Promise<EvidenceJson>;
  /** Writes any file relative to the root (no evidence computed). */
  writeFile(path: string, content: string | Buffer): Promise<string>;
  /** A valid, signed entry; `overrides` replace fields. */
  entry(orderId: string, evidence: EvidenceJson[], overrides?: Partial<EntryJson>): EntryJson;
  writeLedger(entries: readonly unknown[]): Promise<void>;
  writeLedgerText(text: string): Promise<void>;
  remove(): Promise<void>;
}

export async function createLedgerRoot(): Promise<LedgerRoot> {
  const root = await mkdtemp(join(tmpdir(), 'layerwatch-ledger-'));
  const write = async (path: string, content: string | Buffer): Promise<string> => {
    const absolute = join(root, path);
    await mkdir(dirname(absolute), { recursive: true });
    await writeFile(absolute, content);
    return absolute;
  };
  return {
    root,
    async exportFile(name, content) {
      const path = `${EXPORTS_DIR}/${name}`;
      await write(path, content);
      const bytes = Buffer.byteLength(content);
      return { path, sha256: createHash('sha256').update(content).digest('hex'), bytes };
    },
    writeFile: write,
    entry: (orderId, evidence, overrides = {}) => ({
      order_id: orderId,
      pivot: 'quilt',
      batch: '2026-11-23T10',
      exported_at: '2026-11-23T10:04:00Z',
      evidence,
      sign_off: { by: 'qa@factory', at: '2026-11-23T10:30:00Z' },
      ...overrides,
    }),
    writeLedger: async (entries) => {
      await write(LEDGER, JSON.stringify({ version: 1, entries }, null, 2));
    },
    writeLedgerText: async (text) => {
      await write(LEDGER, text);
    },
    remove: () => rm(root, { recursive: true, force: true }),
  };
}
