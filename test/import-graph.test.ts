import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import madge from 'madge';
import { describe, expect, it } from 'vitest';
import { REPO } from '@layerwatch/generate';

/**
 * No import cycle, inside a workspace or between workspaces: each package has one job and
 * builds on the ones below it. Type-only imports count too (they couple the modules as much).
 */
interface Manifest {
  readonly name: string;
  readonly workspaces?: readonly string[];
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
}

const manifest = (dir: string): Manifest =>
  JSON.parse(readFileSync(join(REPO, dir, 'package.json'), 'utf8')) as Manifest;
const WORKSPACES = manifest('.').workspaces ?? [];

/** Every cycle of a graph, each as the path that closes it (`a → b → a`). */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const found: string[] = [];
  const visit = (node: string, path: readonly string[]): void => {
    if (path.includes(node)) {
      const loop = [...path.slice(path.indexOf(node)), node];
      if (loop[0] === [...loop].sort()[0]) found.push(loop.join(' → '));
      return;
    }
    for (const next of graph.get(node) ?? []) visit(next, [...path, node]);
  };
  for (const node of graph.keys()) visit(node, []);
  return [...new Set(found)];
}

describe('the import graph', () => {
  it('has no cycle between workspaces (package.json dependencies, dev ones included)', () => {
    const graph = new Map<string, string[]>();
    for (const dir of WORKSPACES) {
      const m = manifest(dir);
      const deps = Object.keys({ ...m.dependencies, ...m.devDependencies });
      graph.set(
        m.name,
        deps.filter((d) => d.startsWith('@layerwatch/')),
      );
    }
    expect(cycles(graph)).toEqual([]);
  });

  it('has no cycle between the modules of any workspace', async () => {
    const roots = WORKSPACES.map((dir) => join(REPO, dir, 'src'));
    const result = await madge(roots, {
      baseDir: REPO,
      fileExtensions: ['ts', 'tsx'],
      detectiveOptions: { ts: { skipTypeImports: false }, tsx: { skipTypeImports: false } },
    });
    expect(result.circular().map((loop) => loop.join(' → '))).toEqual([]);
  }, 120_000);

  it('finds a cycle when there is one', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(cycles(graph)).toEqual(['a → b → c → a']);
  });
});
