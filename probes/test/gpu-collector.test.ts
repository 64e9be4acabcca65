import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createGpuCollector, nvidiaSmiArgs } from '../src/collectors/gpu/index.js';
import {
  failFromNextRun,
  type FakeBehaviour,
  ownFixtures,
  parseSeries,
  processAlive,
  seriesValue,
  writeFakeNvidiaSmi,
} from './support/fake-nvidia-smi.js';
import { fakeCollectorEach } from './support/fake-collector.js';
import { promtoolCheckMetrics } from './support/promtool.js';

const MiB = 1024 * 1024;
const node = { layer: '8', node: 'gpu-node-1' };

const sandbox = fakeCollectorEach<{ level: number; msg: string; reason?: string }>(
  'layerwatch-gpu-',
);
const { dir, logs } = sandbox;

/** A collector on a stand-in nvidia-smi (no GPU here), its log lines kept in `logs()`. */
function start(behaviour: FakeBehaviour, timeout = 2000) {
  return sandbox.start(behaviour, (nvidia_smi_path, logger) =>
    createGpuCollector({ nvidia_smi_path, interval: 60_000, timeout, ...node }, logger),
  );
}

const gpuSeries = (text: string) =>
  parseSeries(text).filter((s) => s.name.startsWith('nvidia_smi_'));
const up = (text: string) => seriesValue(text, 'layerwatch_gpu_collector_up');
const warnings = () => logs().filter((l) => l.level === 40);

describe('GPU collector on a stand-in nvidia-smi', () => {
  it('runs the CSV query and exports every GPU with the health series', async () => {
    const { fake, collector } = await start({
      kind: 'print',
      file: join(ownFixtures, 'two-gpus.csv'),
    });
    const before = Date.now() / 1000;
    await collector.collectNow();
    const text = collector.render();

    expect(await fake.args()).toEqual(nvidiaSmiArgs());
    expect(up(text)).toBe(1);
    expect(seriesValue(text, 'layerwatch_gpu_collector_gpus', node)).toBe(2);
    expect(seriesValue(text, 'layerwatch_gpu_collector_duration_seconds')).toBeGreaterThan(0);
    const last = seriesValue(text, 'layerwatch_gpu_collector_last_success_timestamp_seconds') ?? 0;
    expect(last).toBeGreaterThanOrEqual(before);
    expect(last).toBeLessThanOrEqual(Date.now() / 1000);
    const gpu1 = { uuid: '9d8c7b6a-5f4e-4321-8abc-def012345678', index: '1', ...node };
    expect(seriesValue(text, 'nvidia_smi_memory_used_bytes', gpu1)).toBe(65536 * MiB);
    expect(seriesValue(text, 'nvidia_smi_utilization_gpu_ratio', { index: '0' })).toBe(0.45);
    expect(seriesValue(text, 'nvidia_smi_gpu_info', { index: '0' })).toBe(1);
    for (const series of gpuSeries(text)) {
      expect(Object.keys(series.labels)).toEqual(
        expect.arrayContaining(['uuid', 'index', 'layer', 'node']),
      );
    }
    expect(promtoolCheckMetrics(text).output).toBe('');
    expect(warnings()).toEqual([]);
  });

  it('keeps two GPUs with one masked uuid apart, and promtool finds no duplicate', async () => {
    const { collector } = await start({
      kind: 'print',
      file: join(ownFixtures, 'duplicate-uuid.csv'),
    });
    await collector.collectNow();
    const text = collector.render();
    const temps = parseSeries(text).filter((s) => s.name === 'nvidia_smi_temperature_gpu');
    expect(temps.map((s) => [s.labels.uuid, s.labels.index, s.value])).toEqual([
      ['00000000-0000-0000-0000-000000000000', '0', 29],
      ['00000000-0000-0000-0000-000000000000', '1', 74],
    ]);
    expect(promtoolCheckMetrics(text).output).toBe('');
  });

  it('kills a hung nvidia-smi and its children at the timeout: up 0, no GPU series', async () => {
    const { fake, collector } = await start({ kind: 'hang' }, 400);
    const started = performance.now();
    await collector.collectNow();
    const elapsed = performance.now() - started;
    const text = collector.render();

    expect(elapsed).toBeGreaterThanOrEqual(350);
    expect(elapsed).toBeLessThan(3000);
    expect(up(text)).toBe(0);
    expect(gpuSeries(text)).toEqual([]);
    expect(text).not.toContain('layerwatch_gpu_collector_gpus');
    expect(warnings()[0]?.reason).toMatch(
      / stopped: gpu collection timed out; killed it; stdout: "index, uuid, na"$/,
    );
    const sleeper = await fake.sleepPid();
    expect(sleeper).toBeTypeOf('number');
    await expect.poll(() => processAlive(sleeper ?? 0), { timeout: 2000 }).toBe(false);
  });

  it('a stop during a hung run kills it and resolves at once', async () => {
    const { fake, collector } = await start({ kind: 'hang' }, 30_000);
    collector.start();
    await expect.poll(() => fake.sleepPid(), { timeout: 5000 }).toBeTypeOf('number');
    const started = performance.now();
    await collector.stop();
    expect(performance.now() - started).toBeLessThan(2000);
    await expect
      .poll(async () => processAlive((await fake.sleepPid()) ?? 0), { timeout: 2000 })
      .toBe(false);
  });

  it('a non-zero exit sets up 0 and logs the code with what nvidia-smi said', async () => {
    const stderr = "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.";
    const { collector } = await start({ kind: 'fail', code: 9, stderr });
    await collector.collectNow();
    const text = collector.render();
    expect(up(text)).toBe(0);
    expect(gpuSeries(text)).toEqual([]);
    expect(warnings().map((l) => l.reason)).toEqual([
      `${join(dir(), 'nvidia-smi')} exited with code 9; stderr: ${JSON.stringify(stderr)}`,
    ]);
    expect(promtoolCheckMetrics(text).output).toBe('');
  });

  it('garbage on stdout sets up 0 with the reason', async () => {
    const { collector } = await start({ kind: 'print', file: join(ownFixtures, 'garbage.txt') });
    await collector.collectNow();
    expect(up(collector.render())).toBe(0);
    expect(gpuSeries(collector.render())).toEqual([]);
    expect(warnings()[0]?.reason).toMatch(
      /^not nvidia-smi CSV: header cell 1 is "Failed to initialize NVML/,
    );
  });

  it.each([
    ['missing', /nvidia-smi not found \(ENOENT\): is the NVIDIA driver installed\?$/],
    ['not-executable', /nvidia-smi is not executable \(EACCES\)$/],
  ] as const)('a %s binary sets up 0, never a crash', async (kind, reason) => {
    const { collector } = await start({ kind });
    await collector.collectNow();
    expect(up(collector.render())).toBe(0);
    expect(warnings()[0]?.reason).toMatch(reason);
  });

  it('after a failure shows no old readings and keeps the last success time, not a fresh one', async () => {
    const fixture = join(ownFixtures, 'two-gpus.csv');
    const { collector } = await start({ kind: 'print', file: fixture });
    await collector.collectNow();
    const success = seriesValue(
      collector.render(),
      'layerwatch_gpu_collector_last_success_timestamp_seconds',
    );

    await failFromNextRun(dir(), 2, 'Field "x" is not a valid field to query.');
    await collector.collectNow();
    const failed = collector.render();
    expect(up(failed)).toBe(0);
    expect(gpuSeries(failed)).toEqual([]);
    expect(seriesValue(failed, 'layerwatch_gpu_collector_last_success_timestamp_seconds')).toBe(
      success,
    );

    await writeFakeNvidiaSmi(dir(), { kind: 'print', file: fixture });
    await collector.collectNow();
    const recovered = collector.render();
    expect(up(recovered)).toBe(1);
    expect(
      seriesValue(recovered, 'layerwatch_gpu_collector_last_success_timestamp_seconds'),
    ).toBeGreaterThan(success ?? 0);
    expect(logs().some((l) => l.level === 30 && l.msg === 'nvidia-smi works again')).toBe(true);
  });

  it('warns once per failure reason, then logs repeats at debug', async () => {
    const { collector } = await start({ kind: 'missing' });
    for (let i = 0; i < 3; i++) await collector.collectNow();
    expect(warnings()).toHaveLength(1);
    expect(logs().filter((l) => l.level === 20 && l.reason?.includes('ENOENT'))).toHaveLength(2);
  });

  it('render never throws: empty before the first run, whole after each', async () => {
    const { collector } = await start({
      kind: 'print',
      file: join(ownFixtures, 'not-available.csv'),
    });
    expect(collector.render()).toBe('');
    collector.start();
    await expect.poll(() => up(collector.render()), { timeout: 5000 }).toBe(1);
    const text = collector.render();
    expect(seriesValue(text, 'nvidia_smi_fan_speed_ratio')).toBe(0.35);
    expect(text).not.toContain('nvidia_smi_utilization_gpu_ratio');
    expect(text).not.toContain('nvidia_smi_power_draw_watts');
    expect(promtoolCheckMetrics(text).output).toBe('');
  });
});
