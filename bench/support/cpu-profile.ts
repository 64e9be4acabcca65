import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One function's share of a `--cpu-prof` profile's samples, by self time. */
export interface ProfileFrame {
  readonly name: string;
  /** `file:line`, trimmed to the part after `node_modules/` or the repository root. */
  readonly where: string;
  /** Share of the busy samples (idle ones left out). */
  readonly selfPercent: number;
}

interface ProfileNode {
  readonly hitCount?: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
  };
}

function shortUrl(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf('node_modules/');
  if (modules >= 0) return path.slice(modules + 'node_modules/'.length);
  const root = path.indexOf('/probes/');
  return root >= 0 ? path.slice(root + 1) : path;
}

/**
 * The top frames by self time of the one `.cpuprofile` in `dir` (as `node --cpu-prof
 * --cpu-prof-dir=dir` writes it): each node's `hitCount` summed by function and script.
 */
export async function topSelfFrames(dir: string, count: number): Promise<ProfileFrame[]> {
  const file = (await readdir(dir)).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no .cpuprofile in ${dir}`);
  const profile = JSON.parse(await readFile(join(dir, file), 'utf8')) as {
    nodes: ProfileNode[];
  };
  const self = new Map<string, { name: string; where: string; hits: number }>();
  let total = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') continue; // waiting, not work: shares are of busy samples
    total += hits;
    const key = `${functionName}\u0000${url}`;
    const entry = self.get(key);
    if (entry) entry.hits += hits;
    else {
      const where = url ? `${shortUrl(url)}:${lineNumber + 1}` : '';
      self.set(key, { name: functionName || '(anonymous)', where, hits });
    }
  }
  return [...self.values()]
    .sort((a, b) => b.hits - a.hits)
    .slice(0, count)
    .map(({ name, where, hits }) => ({ name, where, selfPercent: (hits * 100) / (total || 1) }));
}
