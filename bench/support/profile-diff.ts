import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A function's self time per request in two profiles, and the difference (b - a). */
export interface FrameDifference {
  readonly name: string;
  /** `file:line`, the part after `node_modules/` or the repository root. */
  readonly where: string;
  readonly aUs: number;
  readonly bUs: number;
  readonly differenceUs: number;
}

interface Profile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: { functionName: string; url: string; lineNumber: number };
  }[];
  readonly startTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Busy self time by function of a profile's samples within a window of the monotonic clock. */
export interface WindowedProfile {
  readonly self: ReadonlyMap<string, number>;
  readonly busyUs: number;
}

function shortUrl(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf('node_modules/');
  if (modules >= 0) return path.slice(modules + 'node_modules/'.length);
  const root = path.search(/\/(exporters|bench)\//);
  return root >= 0 ? path.slice(root + 1) : path;
}

/**
 * The main thread's `.cpuprofile` in `dir` (thread 0 sorts first; tsx's loader thread writes
 * one too), its samples taken between `fromUs` and `toUs` (`process.hrtime` in µs, the clock
 * the profiler stamps samples with on Linux), idle left out.
 */
export async function windowedProfile(
  dir: string,
  fromUs: number,
  toUs: number,
): Promise<WindowedProfile> {
  const file = (await readdir(dir)).filter((name) => name.endsWith('.cpuprofile')).sort()[0];
  if (file === undefined) throw new Error(`no .cpuprofile in ${dir}`);
  const profile = JSON.parse(await readFile(join(dir, file), 'utf8')) as Profile;
  const keyOf = new Map<number, string>();
  for (const { id, callFrame: frame } of profile.nodes) {
    if (frame.functionName === '(idle)') continue;
    const where = frame.url ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}` : '';
    keyOf.set(id, `${frame.functionName || '(anonymous)'}\u0000${where}`);
  }
  const self = new Map<string, number>();
  let busyUs = 0;
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i += 1) {
    at += profile.timeDeltas[i] ?? 0;
    // A sample's time runs until the next one's.
    const span = profile.timeDeltas[i + 1] ?? 0;
    const key = keyOf.get(profile.samples[i] ?? -1);
    if (key === undefined || at < fromUs || at > toUs) continue;
    self.set(key, (self.get(key) ?? 0) + span);
    busyUs += span;
  }
  return { self, busyUs };
}

/** The `count` functions whose self time per request differs most between `a` and `b`. */
export function frameDifferences(
  a: WindowedProfile,
  aRequests: number,
  b: WindowedProfile,
  bRequests: number,
  count: number,
): FrameDifference[] {
  const keys = new Set([...a.self.keys(), ...b.self.keys()]);
  return [...keys]
    .map((key) => {
      const [name = '', where = ''] = key.split('\u0000');
      const aUs = (a.self.get(key) ?? 0) / aRequests;
      const bUs = (b.self.get(key) ?? 0) / bRequests;
      return { name, where, aUs, bUs, differenceUs: bUs - aUs };
    })
    .sort((x, y) => Math.abs(y.differenceUs) - Math.abs(x.differenceUs))
    .slice(0, count);
}
