import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import {
  createGpuCollector,
  createGpuHealthCollector,
} from '../../probes/src/collectors/gpu/index.js';
import type { Collector } from '../../probes/src/collectors/types.js';
import { ownFixtures, writeFakeNvidiaSmi } from '../../probes/test/support/fake-nvidia-smi.js';
import { metricFamilies, type MetricFamily } from './metric-families.js';

/** docs/metrics.md's GPU section: the closed loop has no GPU, so it is rendered here. */
export const GPU_SECTION_TITLE = 'GPU collector (`/metrics` of a daemon with `collectors.gpu` on)';
export const GPU_SECTION_NOTE =
  'Both passes over our own stand-in `nvidia-smi` fixtures (`probes/test/fixtures/nvidia-smi`): ' +
  'the CSV pass every `interval`, the health pass (`-q -x` and the kernel log) every `health_interval`. ' +
  'The dcgm-exporter field of each health series is in `probes/README.md`.';

/**
 * The GPU collector's families, from the real collectors on stand-in nvidia-smi scripts:
 * the CSV pass on two-gpus.csv and not-available.csv, the health pass on health-faults.xml,
 * health-throttle-reasons.xml (retired pages) and health-unreadable.xml (the `reason`
 * label), with kern.log as the kernel log and nvlink-status.txt / nvlink-errors.txt.
 */
export async function gpuMetricFamilies(): Promise<MetricFamily[]> {
  const dir = await mkdtemp(join(tmpdir(), 'layerwatch-gpu-doc-'));
  const logger = pino({ level: 'silent' });
  const texts: string[] = [];
  const run = async (collector: Collector): Promise<void> => {
    await collector.collectNow();
    texts.push(collector.render());
    await collector.stop();
  };
  try {
    const kernelLog = join(dir, 'kern.log');
    await copyFile(join(ownFixtures, 'kern.log'), kernelLog);
    const node = { node: 'gpu-node-1', layer: '8' };
    // two-gpus.csv has no fan (`[N/A]`); not-available.csv has one.
    for (const file of ['two-gpus.csv', 'not-available.csv']) {
      const csv = await writeFakeNvidiaSmi(dir, {
        kind: 'driver',
        help: join(ownFixtures, 'help-query-gpu.txt'),
        csv: join(ownFixtures, file),
      });
      const settings = { nvidia_smi_path: csv.path, interval: 60_000, timeout: 5000, ...node };
      await run(createGpuCollector(settings, logger));
    }
    for (const xml of [
      'health-faults.xml',
      'health-throttle-reasons.xml',
      'health-unreadable.xml',
    ]) {
      const fake = await writeFakeNvidiaSmi(dir, {
        kind: 'driver',
        help: join(ownFixtures, 'help-query-gpu.txt'),
        csv: join(ownFixtures, 'two-gpus.csv'),
        xml: join(ownFixtures, xml),
        nvlinkStatus: join(ownFixtures, 'nvlink-status.txt'),
        nvlinkErrors: join(ownFixtures, 'nvlink-errors.txt'),
      });
      const settings = {
        nvidia_smi_path: fake.path,
        health_interval: 60_000,
        health_timeout: 5000,
        kernel_log: { source: 'file' as const, file: kernelLog, journalctl_path: 'journalctl' },
        ...node,
      };
      await run(createGpuHealthCollector(settings, logger));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return metricFamilies(texts.join('\n'));
}
