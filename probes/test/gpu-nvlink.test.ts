import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createGpuHealthCollector, parseNvlink } from '../src/collectors/gpu/index.js';
import type { Collector } from '../src/collectors/types.js';
import {
  ownFixtures,
  sharedCaptures,
  seriesValue,
  writeFakeNvidiaSmi,
} from './support/fake-nvidia-smi.js';
import { tempDirEach } from './support/temp-dir.js';
import { promtoolCheckMetrics } from './support/promtool.js';

const own = (file: string) => readFileSync(join(ownFixtures, file), 'utf8');
const capturesDir = join(dirname(sharedCaptures), 'captures');

describe('parseNvlink (pure)', () => {
  it('our own -s and -e: active links with their speed, an inactive one, errors by type', () => {
    const [a100, other] = parseNvlink(own('nvlink-status.txt'), own('nvlink-errors.txt'));
    expect(
      a100?.links.map((l) => [l.link, l.active, l.speedBytes, Object.fromEntries(l.errors)]),
    ).toEqual([
      ['0', true, 25e9, { replay: 0, recovery: 0, crc: 0 }],
      ['1', true, 25e9, { replay: 12, recovery: 1, crc: 40 }],
      ['2', false, undefined, { replay: 0, recovery: 0, crc: 0 }],
    ]);
    expect(other).toEqual({
      index: '1',
      uuid: 'GPU-9d8c7b6a-5f4e-4321-8abc-def012345678',
      links: [],
    });
  });

  describe.skipIf(!existsSync(capturesDir))('the real nvlink -s of the shared captures', () => {
    const statusOf = (file: string): string => {
      const text = readFileSync(join(capturesDir, file), 'utf8');
      const start = text.indexOf('# $ nvidia-smi nvlink -s');
      return text.slice(start, text.indexOf('# capabilities ::', start + 10));
    };
    it('H100: 18 links at 26.562 GB/s', () => {
      const [h100] = parseNvlink(statusOf('linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01.txt'));
      expect(h100?.links).toHaveLength(18);
      expect(new Set(h100?.links.map((l) => l.speedBytes))).toEqual(new Set([26.562e9]));
    });
    it.each([
      'linux-x86_64__nvidia-h100-mig__590.48.01.txt',
      'linux-x86_64__nvidia-geforce-rtx-4080-super__595.71.05.txt',
    ])('%s: the GPU is listed without links (MIG on, or no NVLink)', (file) => {
      expect(parseNvlink(statusOf(file)).map((g) => g.links.length)).toEqual([0]);
    });
  });
});

describe('NVLink series of the health pass', () => {
  const dir = tempDirEach('layerwatch-gpu-nvlink-');
  let collector: Collector | undefined;
  afterEach(async () => {
    await collector?.stop();
  });

  async function collect(nvlink: boolean): Promise<{ text: string; calls: string[] }> {
    const fake = await writeFakeNvidiaSmi(dir(), {
      kind: 'driver',
      help: join(ownFixtures, 'help-query-gpu.txt'),
      csv: join(ownFixtures, 'two-gpus.csv'),
      xml: join(ownFixtures, 'health-faults.xml'),
      ...(nvlink
        ? {
            nvlinkStatus: join(ownFixtures, 'nvlink-status.txt'),
            nvlinkErrors: join(ownFixtures, 'nvlink-errors.txt'),
          }
        : {}),
    });
    const settings = {
      nvidia_smi_path: fake.path,
      health_interval: 60_000,
      health_timeout: 2000,
      kernel_log: { source: 'off' as const, file: '', journalctl_path: 'journalctl' },
      node: 'gpu-node-1',
      layer: '8',
    };
    collector = createGpuHealthCollector(settings, pino({ level: 'silent' }));
    await collector.collectNow();
    return { text: collector.render(), calls: await fake.calls() };
  }

  it('where NVLink is: state, speed and error counters per link', async () => {
    const { text, calls } = await collect(true);
    expect(calls).toEqual(['-q -x', 'nvlink -s', 'nvlink -e']);
    const gpu0 = {
      uuid: '3f2a61c4-8b1e-4d7a-9c55-0e1f2a3b4c5d',
      index: '0',
      layer: '8',
      node: 'gpu-node-1',
    };
    expect(seriesValue(text, 'nvidia_smi_nvlink_link_active', { ...gpu0, link: '2' })).toBe(0);
    expect(
      seriesValue(text, 'nvidia_smi_nvlink_link_speed_bytes_per_second', { ...gpu0, link: '1' }),
    ).toBe(25e9);
    expect(
      seriesValue(text, 'nvidia_smi_nvlink_errors_total', { ...gpu0, link: '1', type: 'crc' }),
    ).toBe(40);
    expect(text).not.toContain('index="1",layer="8",node="gpu-node-1",link=');
    expect(promtoolCheckMetrics(text).output).toBe('');
  });

  it('a driver that does not answer nvlink: no NVLink series, the rest as before', async () => {
    const { text, calls } = await collect(false);
    expect(calls).toEqual(['-q -x', 'nvlink -s']);
    expect(text).not.toContain('nvidia_smi_nvlink');
    expect(seriesValue(text, 'layerwatch_gpu_health_up')).toBe(1);
  });
});
