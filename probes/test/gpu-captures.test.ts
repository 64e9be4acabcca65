import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createGpuCollector,
  GAUGE_FIELDS,
  type GpuReading,
  parseNvidiaSmiCsv,
  QUERY_FIELDS,
} from '../src/collectors/gpu/index.js';
import type { Collector } from '../src/collectors/types.js';
import {
  parseSeries,
  seriesValue,
  sharedCaptures,
  writeFakeNvidiaSmi,
} from './support/fake-nvidia-smi.js';
import { tempDirEach } from './support/temp-dir.js';
import { promtoolCheckMetrics } from './support/promtool.js';

// Real `nvidia-smi --query-gpu=<212 fields> --format=csv` output captured by others on real
// GPUs, read in place from ../shared (never copied here). Where ../shared is absent (a clone
// of this repository alone) these tests are skipped and say so; our own fixtures still run.
const present = existsSync(sharedCaptures);
if (!present) {
  console.warn(`SKIPPED gpu-captures: ${sharedCaptures} is absent (the real nvidia-smi captures)`);
}

/**
 * Readings as the capture prints them, in GAUGE_FIELDS order: pstate, mig mode, fan %,
 * utilization gpu/memory %, memory total/used/free MiB, temperature gpu/memory, power
 * draw/limit W, clocks current graphics/sm/memory/video MHz, clocks max graphics/sm/memory
 * MHz, pcie link gen, width; `-` where the capture prints a token meaning "absent".
 */
const CAPTURES: readonly {
  file: string;
  name: string;
  driver: string;
  bus: string;
  printed: string;
}[] = [
  {
    file: 'linux-x86_64__nvidia-geforce-rtx-4080-super__595.71.05__idle.csv',
    name: 'NVIDIA GeForce RTX 4080 SUPER',
    driver: '595.71.05',
    bus: '00000000:01:00.0',
    printed: '8 - 0 0 23 16376 596 15348 43 - 26.2 320 210 210 405 1185 3165 3165 11501 1 16',
  },
  {
    file: 'linux-x86_64__nvidia-geforce-rtx-4080-super__595.71.05__load.csv',
    name: 'NVIDIA GeForce RTX 4080 SUPER',
    driver: '595.71.05',
    bus: '00000000:01:00.0',
    printed: '2 - 0 7 2 16376 1474 14470 46 - 84.24 320 2805 2805 11251 2145 3165 3165 11501 4 16',
  },
  {
    file: 'linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01__idle.csv',
    name: 'NVIDIA H100 80GB HBM3',
    driver: '590.48.01',
    bus: '00000000:00:09.0',
    printed: '0 0 - 0 0 81559 0 81081 41 48 69.85 700 345 345 2619 765 1980 1980 2619 5 16',
  },
  {
    file: 'linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01__load.csv',
    name: 'NVIDIA H100 80GB HBM3',
    driver: '590.48.01',
    bus: '00000000:00:09.0',
    printed:
      '0 0 - 100 11 81559 19818 61263 59 54 631.95 700 1980 1980 2619 1545 1980 1980 2619 5 16',
  },
  {
    file: 'linux-x86_64__nvidia-h100-mig__590.48.01__idle.csv',
    name: 'NVIDIA H100 80GB HBM3',
    driver: '590.48.01',
    bus: '00000000:00:09.0',
    printed: '0 1 - - - 81559 59 81022 42 48 71.15 700 345 345 2619 765 1980 1980 2619 5 16',
  },
  {
    file: 'linux-x86_64__nvidia-h100-mig__590.48.01__load.csv',
    name: 'NVIDIA H100 80GB HBM3',
    driver: '590.48.01',
    bus: '00000000:00:09.0',
    printed: '0 1 - - - 81559 11125 69956 53 59 433.78 700 1980 1980 2619 1545 1980 1980 2619 5 16',
  },
];

/** The printed readings in base units: % → ratio, MiB → bytes, MHz → Hz; absent stays absent. */
function expectedValues(printed: string): Record<string, number> {
  const numbers = printed.split(' ').map((cell) => (cell === '-' ? undefined : Number(cell)));
  const scale = { '%': 1 / 100, MiB: 1024 * 1024, MHz: 1e6, W: 1, '': 1 } as const;
  const out: Record<string, number> = {};
  GAUGE_FIELDS.forEach((field, i) => {
    const value = numbers[i];
    if (value === undefined) return;
    out[field.metric] = field.unit === '%' ? value / 100 : value * scale[field.unit];
  });
  return out;
}

const read = (file: string): string => readFileSync(join(sharedCaptures, file), 'utf8');

function onlyGpu(text: string): GpuReading {
  const parsed = parseNvidiaSmiCsv(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  expect(parsed.gpus).toHaveLength(1);
  expect(parsed.unreadable).toEqual([]);
  return parsed.gpus[0] as GpuReading;
}

/**
 * What nvidia-smi prints for our query on that GPU: the capture's header and row cut down
 * to QUERY_FIELDS, by name, with `index` set (a capture's only GPU is always index 0).
 */
function project(capture: string, index: number): { header: string; row: string } {
  const [headerLine = '', rowLine = ''] = capture.split('\n');
  const header = headerLine.split(', ');
  const row = rowLine.split(', ');
  const at = (field: string): number => {
    const i = header.findIndex((cell) => cell === field || cell.startsWith(`${field} [`));
    if (i < 0) throw new Error(`capture lacks ${field}`);
    return i;
  };
  const columns = QUERY_FIELDS.map(at);
  return {
    header: columns.map((i) => header[i]).join(', '),
    row: columns.map((i) => (header[i] === 'index' ? String(index) : row[i])).join(', '),
  };
}

describe.skipIf(!present)('real nvidia-smi captures (../shared/fixtures/nvidia-smi)', () => {
  it.each(CAPTURES)('$file: every reading matches the capture, in base units', (capture) => {
    const gpu = onlyGpu(read(capture.file));
    expect([gpu.index, gpu.uuid, gpu.name, gpu.driverVersion, gpu.pciBusId]).toEqual([
      '0',
      'GPU-00000000-0000-0000-0000-000000000000',
      capture.name,
      capture.driver,
      capture.bus,
    ]);
    expect(Object.fromEntries(gpu.values)).toEqual(expectedValues(capture.printed));
  });

  it('under MIG exports the mode and no utilization', () => {
    const mig = onlyGpu(read(CAPTURES[5]?.file ?? ''));
    expect(mig.values.get('nvidia_smi_mig_mode_current')).toBe(1);
    expect(mig.values.has('nvidia_smi_utilization_gpu_ratio')).toBe(false);
    expect(mig.values.has('nvidia_smi_utilization_memory_ratio')).toBe(false);
    const plain = onlyGpu(read(CAPTURES[3]?.file ?? ''));
    expect(plain.values.get('nvidia_smi_mig_mode_current')).toBe(0);
    expect(plain.values.get('nvidia_smi_utilization_gpu_ratio')).toBe(1);
  });

  describe('through the collector and a stand-in nvidia-smi', () => {
    const dir = tempDirEach('layerwatch-gpu-captures-');
    let collector: Collector | undefined;
    afterEach(async () => {
      await collector?.stop();
    });

    async function collect(file: string): Promise<string> {
      const fake = await writeFakeNvidiaSmi(dir(), { kind: 'print', file });
      const settings = {
        enabled: true,
        nvidia_smi_path: fake.path,
        interval: 60_000,
        timeout: 5000,
      };
      collector = createGpuCollector(
        { ...settings, node: 'n1', layer: '8' },
        pino({ level: 'silent' }),
      );
      await collector.collectNow();
      return collector.render();
    }

    it.each(CAPTURES)('$file: up 1, the readings, promtool clean', async (capture) => {
      const text = await collect(join(sharedCaptures, capture.file));
      expect(seriesValue(text, 'layerwatch_gpu_collector_up')).toBe(1);
      expect(seriesValue(text, 'layerwatch_gpu_collector_gpus')).toBe(1);
      const exported = parseSeries(text).filter(
        (s) => s.name.startsWith('nvidia_smi_') && s.name !== 'nvidia_smi_gpu_info',
      );
      expect(Object.fromEntries(exported.map((s) => [s.name, s.value]))).toEqual(
        expectedValues(capture.printed),
      );
      expect(
        seriesValue(text, 'nvidia_smi_gpu_info', { name: capture.name, pci_bus_id: capture.bus }),
      ).toBe(1);
      expect(promtoolCheckMetrics(text).output).toBe('');
    });

    it('a 2-GPU output built from two real rows (H100 under load, RTX 4080 SUPER under load)', async () => {
      const h100 = project(read(CAPTURES[3]?.file ?? ''), 0);
      const rtx = project(read(CAPTURES[1]?.file ?? ''), 1);
      expect(rtx.header).toBe(h100.header);
      const file = join(dir(), 'two-real-gpus.csv');
      await writeFile(file, `${h100.header}\n${h100.row}\n${rtx.row}\n`);

      const text = await collect(file);
      expect(seriesValue(text, 'layerwatch_gpu_collector_gpus')).toBe(2);
      const uuid = '00000000-0000-0000-0000-000000000000';
      const used = parseSeries(text).filter((s) => s.name === 'nvidia_smi_memory_used_bytes');
      expect(used.map((s) => [s.labels.uuid, s.labels.index, s.value])).toEqual([
        [uuid, '0', 19818 * 1024 * 1024],
        [uuid, '1', 1474 * 1024 * 1024],
      ]);
      expect(seriesValue(text, 'nvidia_smi_power_draw_watts', { index: '0' })).toBe(631.95);
      expect(seriesValue(text, 'nvidia_smi_power_draw_watts', { index: '1' })).toBe(84.24);
      expect(seriesValue(text, 'nvidia_smi_fan_speed_ratio', { index: '0' })).toBeUndefined();
      expect(seriesValue(text, 'nvidia_smi_fan_speed_ratio', { index: '1' })).toBe(0);
      expect(promtoolCheckMetrics(text).output).toBe('');
    });
  });
});
