/**
 * The stack composed for a test as `make up` composes it: on free ports, silent, in a temp
 * dir of its own that goes at stop.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startComposition,
  type ComposeOptions,
  type PartName,
  type RunningComposition,
} from '@layerwatch/stack';

export interface TestComposition {
  readonly composition: RunningComposition;
  /** Stops every part and removes the temp dir. */
  stop(): Promise<void>;
}

/** `parts` (and what they need) with `options`, in a temp dir named for the test. */
export async function startTestComposition(
  name: string,
  parts: readonly PartName[],
  options: Omit<ComposeOptions, 'dir' | 'ports' | 'logLevel'> = {},
): Promise<TestComposition> {
  const root = await mkdtemp(join(tmpdir(), `layerwatch-${name}-`));
  const removeRoot = () => rm(root, { recursive: true, force: true });
  let composition: RunningComposition;
  try {
    composition = await startComposition(parts, {
      ...options,
      dir: root,
      ports: 'free',
      logLevel: 'silent',
    });
  } catch (error) {
    await removeRoot();
    throw error;
  }
  return {
    composition,
    stop: async () => {
      await composition.stop();
      await removeRoot();
    },
  };
}
