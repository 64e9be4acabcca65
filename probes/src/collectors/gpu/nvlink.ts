import { runNvidiaSmi } from './run-nvidia-smi.js';

/**
 * NVLink state and error counters. `nvidia-smi -q -x` has neither, so the health pass asks
 * `nvidia-smi nvlink -s` (each link's speed, or `<inactive>`) and, where a GPU has links,
 * `nvidia-smi nvlink -e` (each link's error counters). Both print one block per GPU:
 *
 *     GPU 0: NVIDIA H100 80GB HBM3 (UUID: GPU-…)
 *     	 Link 0: 26.562 GB/s
 *     	 Link 1: <inactive>
 *
 * A GPU without NVLink says so under its header ("Device does not have or support Nvlink",
 * "Nvlink queries are not supported for Devices in MIG mode") and has no links.
 */
export interface NvlinkLink {
  readonly link: string;
  readonly active: boolean;
  /** Bytes per second; only for an active link. */
  readonly speedBytes: number | undefined;
  /** `replay`, `recovery`, `crc`, … → count, from `nvlink -e`. */
  readonly errors: ReadonlyMap<string, number>;
}

export interface NvlinkGpu {
  readonly index: string;
  readonly uuid: string;
  readonly links: readonly NvlinkLink[];
}

const GPU_HEADER = /^GPU (\d+): .*\(UUID: (GPU-[^)]+)\)\s*$/;
const LINK_LINE = /^\s+Link (\d+): (.*)$/;
const SPEED = /^(\d+(?:\.\d+)?) (GB|MB)\/s$/;
const ERROR_COUNT = /^(.+?) Errors: (\d+)$/;

interface Block {
  readonly index: string;
  readonly uuid: string;
  readonly lines: [link: string, text: string][];
}

function blocks(text: string): Block[] {
  const found: Block[] = [];
  for (const line of text.split(/\r?\n/)) {
    const header = GPU_HEADER.exec(line);
    if (header?.[1] && header[2]) found.push({ index: header[1], uuid: header[2], lines: [] });
    const link = LINK_LINE.exec(line);
    if (link?.[1] && link[2] !== undefined) found.at(-1)?.lines.push([link[1], link[2].trim()]);
  }
  return found;
}

/** `nvidia-smi nvlink -s`, and optionally `-e`, read into links per GPU. Pure. */
export function parseNvlink(statusText: string, errorsText = ''): NvlinkGpu[] {
  const errors = new Map<string, Map<string, number>>();
  for (const block of blocks(errorsText)) {
    for (const [link, text] of block.lines) {
      const match = ERROR_COUNT.exec(text);
      if (!match?.[1] || match[2] === undefined) continue;
      const key = `${block.uuid} ${link}`;
      const counts = errors.get(key) ?? new Map<string, number>();
      counts.set(match[1].toLowerCase().replace(/[^a-z0-9]+/g, '_'), Number(match[2]));
      errors.set(key, counts);
    }
  }
  return blocks(statusText).map((block) => ({
    index: block.index,
    uuid: block.uuid,
    links: block.lines.map(([link, text]) => {
      const speed = SPEED.exec(text);
      const bytes = speed ? Number(speed[1]) * (speed[2] === 'GB' ? 1e9 : 1e6) : undefined;
      return {
        link,
        active: speed !== null,
        speedBytes: bytes,
        errors: errors.get(`${block.uuid} ${link}`) ?? new Map(),
      };
    }),
  }));
}

/**
 * Runs `nvlink -s`, and `nvlink -e` when any GPU has links. A driver or GPU without NVLink
 * (an exit code, no links) gives no GPUs: NVLink series are only there where NVLink is.
 */
export async function readNvlink(
  path: string,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<NvlinkGpu[]> {
  const run = (mode: string) => runNvidiaSmi({ path, args: ['nvlink', mode], timeoutMs, signal });
  const status = await run('-s');
  if (!status.ok) return [];
  const gpus = parseNvlink(status.stdout);
  if (!gpus.some((gpu) => gpu.links.length > 0)) return [];
  const errors = await run('-e');
  return parseNvlink(status.stdout, errors.ok ? errors.stdout : '');
}
