import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { buildRuleGroups, resolveConfig } from '../../src/index.js';

/** The default config, and the rule groups the generator builds from it. */
export const config = resolveConfig();
export const groups = buildRuleGroups(config);

/** A scratch folder for one test file: made before its tests, removed after them. */
export function scratchFolder(prefix: string): { file(name: string): string } {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), `layerwatch-${prefix}-`));
  });
  afterAll(async () => {
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });
  return { file: (name) => join(dir, name) };
}
