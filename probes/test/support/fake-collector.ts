import { afterEach, beforeEach } from 'vitest';
import type { Logger } from 'pino';
import type { Collector } from '../../src/collectors/types.js';
import { type FakeBehaviour, type FakeNvidiaSmi, writeFakeNvidiaSmi } from './fake-nvidia-smi.js';
import { loggerInto } from './logs.js';
import { tempDirEach } from './temp-dir.js';

export interface FakeCollectorEach<Line> {
  /** This test's temp dir, where the stand-in nvidia-smi lives. */
  readonly dir: () => string;
  /** The log lines of this test's collector, parsed. */
  readonly logs: () => Line[];
  /** Writes the stand-in as `behaviour` says and builds a collector on it with `create`. */
  start(
    behaviour: FakeBehaviour,
    create: (nvidiaSmiPath: string, logger: Logger) => Collector,
  ): Promise<{ fake: FakeNvidiaSmi; collector: Collector }>;
}

/**
 * Per test: a temp dir, a stand-in nvidia-smi in it (no GPU here), the log lines of the
 * collector a test starts on it, and that collector stopped after the test.
 */
export function fakeCollectorEach<Line>(prefix: string): FakeCollectorEach<Line> {
  const dir = tempDirEach(prefix);
  let logs: Line[] = [];
  let collector: Collector | undefined;
  beforeEach(() => {
    logs = [];
  });
  afterEach(async () => {
    await collector?.stop();
    collector = undefined;
  });
  return {
    dir,
    logs: () => logs,
    async start(behaviour, create) {
      const fake = await writeFakeNvidiaSmi(dir(), behaviour);
      collector = create(fake.path, loggerInto(logs));
      return { fake, collector };
    },
  };
}
