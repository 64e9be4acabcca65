import { appendFile, copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { createGpuHealthCollector, type HealthPassSettings } from '../src/collectors/gpu/index.js';
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

const node = { layer: '8', node: 'gpu-node-1' };
const FAULTY = { uuid: '3f2a61c4-8b1e-4d7a-9c55-0e1f2a3b4c5d', index: '0', ...node };
const OTHER = { uuid: '9d8c7b6a-5f4e-4321-8abc-def012345678', index: '1', ...node };

const sandbox = fakeCollectorEach<{ level: number; msg: string; part?: string; reason?: string }>(
  'layerwatch-gpu-health-',
);
const { dir, logs } = sandbox;
let kernelLog: string;

beforeEach(async () => {
  kernelLog = join(dir(), 'kern.log');
  await copyFile(join(ownFixtures, 'kern.log'), kernelLog);
});

/** The health pass on a stand-in nvidia-smi (no GPU here) and a kernel log file we write. */
function start(behaviour: FakeBehaviour, overrides: Partial<HealthPassSettings> = {}) {
  return sandbox.start(behaviour, (nvidia_smi_path, logger) =>
    createGpuHealthCollector(
      {
        nvidia_smi_path,
        health_interval: 60_000,
        health_timeout: 2000,
        kernel_log: { source: 'file', file: kernelLog, journalctl_path: 'journalctl' },
        ...node,
        ...overrides,
      },
      logger,
    ),
  );
}

const faults: FakeBehaviour = { kind: 'print', file: join(ownFixtures, 'health-faults.xml') };
const warnings = () => logs().filter((l) => l.level === 40);
const value = (text: string, name: string, labels: Record<string, string> = {}) =>
  seriesValue(text, name, labels);

describe('GPU health pass on a stand-in nvidia-smi', () => {
  it('runs -q -x once per collection, never per scrape, and labels every series', async () => {
    const { fake, collector } = await start(faults);
    await collector.collectNow();
    const text = collector.render();
    collector.render();
    // -q -x once; `nvlink -s` finds no links in what this stand-in prints, so no `-e`.
    expect(await fake.calls()).toEqual(['-q -x', 'nvlink -s']);
    expect(value(text, 'layerwatch_gpu_health_up', node)).toBe(1);
    expect(
      value(text, 'nvidia_smi_gpu_readable', { ...FAULTY, pci_bus_id: '00000000:18:00.0' }),
    ).toBe(1);
    expect(
      value(text, 'nvidia_smi_ecc_errors_uncorrected_volatile_total', {
        ...FAULTY,
        location: 'dram',
      }),
    ).toBe(2);
    expect(value(text, 'nvidia_smi_remapped_rows_failure', FAULTY)).toBe(1);
    expect(
      value(text, 'nvidia_smi_clocks_event_reason_active', {
        ...FAULTY,
        reason: 'hw_thermal_slowdown',
      }),
    ).toBe(1);
    expect(value(text, 'nvidia_smi_pcie_replays_total', FAULTY)).toBe(12);
    // The second GPU prints only "absent" tokens: readable, and nothing else.
    const other = parseSeries(text).filter((s) => s.labels.uuid === OTHER.uuid);
    expect(other.map((s) => s.name)).toEqual([
      'nvidia_smi_gpu_readable',
      'nvidia_smi_xid_errors_total',
      'nvidia_smi_xid_last_timestamp_seconds',
      'nvidia_smi_xid_last',
    ]);
    // Every series names its GPU; an XID of a bus id no run listed names it by bus id only.
    for (const series of parseSeries(text).filter((s) => s.name.startsWith('nvidia_smi_'))) {
      const expected =
        series.labels.pci_bus_id === '00000000:99:00.0' ? ['pci_bus_id'] : ['uuid', 'index'];
      expect(Object.keys(series.labels)).toEqual(
        expect.arrayContaining([...expected, 'layer', 'node']),
      );
    }
    expect(promtoolCheckMetrics(text).output).toBe('');
    expect(warnings()).toEqual([]);
  });

  it('counts XIDs from the kernel log by GPU and code, reading only new lines', async () => {
    const { collector } = await start(faults);
    await collector.collectNow();
    let text = collector.render();
    const bus18 = { ...FAULTY, pci_bus_id: '00000000:18:00.0' };
    expect(value(text, 'layerwatch_gpu_kernel_log_readable', node)).toBe(1);
    expect(value(text, 'nvidia_smi_xid_errors_total', { ...bus18, xid: '48' })).toBe(2);
    expect(value(text, 'nvidia_smi_xid_errors_total', { ...bus18, xid: '63' })).toBe(1);
    expect(value(text, 'nvidia_smi_xid_errors_total', { ...OTHER, xid: '13' })).toBe(1);
    // A GPU no run has listed: its bus id, no uuid.
    expect(
      value(text, 'nvidia_smi_xid_errors_total', { pci_bus_id: '00000000:99:00.0', xid: '79' }),
    ).toBe(1);
    expect(
      parseSeries(text).find((s) => s.labels.pci_bus_id === '00000000:99:00.0')?.labels.uuid,
    ).toBeUndefined();
    expect(value(text, 'nvidia_smi_xid_last', bus18)).toBe(48);
    expect(value(text, 'nvidia_smi_xid_last_timestamp_seconds', { ...bus18, xid: '48' })).toBe(
      Date.parse('2026-03-02T10:15:01.123Z') / 1000,
    );
    expect(value(text, 'nvidia_smi_xid_last_timestamp_seconds', { ...bus18, xid: '63' })).toBe(
      Date.parse('2026-03-02T10:14:59Z') / 1000,
    );

    await collector.collectNow();
    expect(value(collector.render(), 'nvidia_smi_xid_errors_total', { ...bus18, xid: '48' })).toBe(
      2,
    );
    await appendFile(
      kernelLog,
      '2026-03-02T10:20:00+0000 gpu-node-1 kernel: NVRM: Xid (PCI:0000:18:00): 94, pid=7, name=python3, Contained: SM\n',
    );
    await collector.collectNow();
    text = collector.render();
    expect(value(text, 'nvidia_smi_xid_errors_total', { ...bus18, xid: '48' })).toBe(2);
    expect(value(text, 'nvidia_smi_xid_errors_total', { ...bus18, xid: '94' })).toBe(1);
    expect(value(text, 'nvidia_smi_xid_last', bus18)).toBe(94);
    expect(promtoolCheckMetrics(text).output).toBe('');
  });

  it('a kernel log it cannot read: a series says so and the log says it once', async () => {
    const { collector } = await start(faults, {
      kernel_log: {
        source: 'file',
        file: join(dir(), 'missing.log'),
        journalctl_path: 'journalctl',
      },
    });
    for (let i = 0; i < 3; i++) await collector.collectNow();
    const text = collector.render();
    expect(value(text, 'layerwatch_gpu_kernel_log_readable', node)).toBe(0);
    expect(value(text, 'layerwatch_gpu_health_up', node)).toBe(1);
    expect(warnings().map((l) => [l.part, l.msg])).toEqual([
      [
        'kernel-log',
        `cannot read the kernel log (file ${join(dir(), 'missing.log')}): XID errors go unseen`,
      ],
    ]);
    expect(text).not.toContain('nvidia_smi_xid_errors_total');
  });

  it('source off: no kernel log series at all', async () => {
    const { collector } = await start(faults, {
      kernel_log: { source: 'off', file: kernelLog, journalctl_path: 'journalctl' },
    });
    await collector.collectNow();
    expect(collector.render()).not.toMatch(/kernel_log_readable|xid/);
  });

  it('a failed run keeps the last good readings with up 0 and the old success time', async () => {
    const { collector } = await start(faults);
    await collector.collectNow();
    const success = value(
      collector.render(),
      'layerwatch_gpu_health_last_success_timestamp_seconds',
    );
    await failFromNextRun(
      dir(),
      9,
      "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.",
    );
    await collector.collectNow();
    const text = collector.render();
    expect(value(text, 'layerwatch_gpu_health_up', node)).toBe(0);
    expect(value(text, 'layerwatch_gpu_health_last_success_timestamp_seconds')).toBe(success);
    expect(value(text, 'nvidia_smi_remapped_rows_failure', FAULTY)).toBe(1);
    expect(warnings().map((l) => l.reason)).toEqual([
      expect.stringMatching(/exited with code 9; stderr: "NVIDIA-SMI has failed/),
    ]);
    expect(promtoolCheckMetrics(text).output).toBe('');
  });

  it('a GPU lost since the last run: readable 0 with the reason, its readings gone, the others kept', async () => {
    const { collector } = await start(faults);
    await collector.collectNow();
    // nvidia-smi cannot open one GPU: it says so and exits non-zero, printing no XML.
    const lost =
      'Unable to determine the device handle for GPU0000:18:00.0: GPU is lost.  Reboot the system to recover this GPU';
    await writeFakeNvidiaSmi(dir(), { kind: 'fail', code: 15, stderr: lost });
    await collector.collectNow();
    const text = collector.render();
    expect(value(text, 'nvidia_smi_gpu_readable', FAULTY)).toBe(0);
    expect(
      parseSeries(text).find((s) => s.name === 'nvidia_smi_gpu_readable' && s.labels.index === '0')
        ?.labels.reason,
    ).toBe('gpu_lost');
    expect(value(text, 'nvidia_smi_remapped_rows_failure', FAULTY)).toBeUndefined();
    expect(value(text, 'nvidia_smi_gpu_readable', OTHER)).toBe(1);
    expect(promtoolCheckMetrics(text).output).toBe('');
  });

  it('partial XML with a lost GPU on stderr and an exit code: up 1, the lost one unreadable', async () => {
    const { collector } = await start({
      kind: 'print',
      file: join(ownFixtures, 'health-unreadable.xml'),
      code: 15,
      stderr: 'Unable to determine the device handle for GPU0000:AF:00.0: Unknown Error',
    });
    await collector.collectNow();
    const text = collector.render();
    expect(value(text, 'layerwatch_gpu_health_up', node)).toBe(1);
    const readable = parseSeries(text).filter((s) => s.name === 'nvidia_smi_gpu_readable');
    expect(readable.map((s) => [s.labels.pci_bus_id, s.labels.reason, s.value])).toEqual([
      ['00000000:07:00.0', undefined, 1],
      ['00000000:0F:00.0', 'err', 0],
      ['00000000:47:00.0', 'unknown_error', 0],
      ['00000000:4E:00.0', 'fallen_off_the_bus', 0],
      ['00000000:AF:00.0', 'unknown_error', 0],
    ]);
    const readings = parseSeries(text).filter(
      (s) =>
        s.name.startsWith('nvidia_smi_') &&
        !s.name.startsWith('nvidia_smi_gpu_readable') &&
        !s.name.startsWith('nvidia_smi_xid'),
    );
    expect(new Set(readings.map((s) => s.labels.index))).toEqual(new Set(['0']));
    expect(promtoolCheckMetrics(text).output).toBe('');
  });

  it('a GPU that vanishes from the output without a word is readable 0, reason missing', async () => {
    const { collector } = await start(faults);
    await collector.collectNow();
    const one = join(dir(), 'one-gpu.xml');
    const xml = await readFile(join(ownFixtures, 'health-faults.xml'), 'utf8');
    await writeFile(one, xml.replace(/<gpu id="00000000:3B:00.0">[\s\S]*?<\/gpu>/, ''));
    await writeFakeNvidiaSmi(dir(), { kind: 'print', file: one });
    await collector.collectNow();
    const text = collector.render();
    expect(
      value(text, 'nvidia_smi_gpu_readable', {
        ...OTHER,
        pci_bus_id: '00000000:3B:00.0',
        reason: 'missing',
      }),
    ).toBe(0);
    expect(value(text, 'nvidia_smi_gpu_readable', FAULTY)).toBe(1);
  });

  it('kills a hung -q -x at health_timeout: up 0, never a crash', async () => {
    const { fake, collector } = await start({ kind: 'hang' }, { health_timeout: 300 });
    const started = performance.now();
    await collector.collectNow();
    expect(performance.now() - started).toBeLessThan(3000);
    expect(value(collector.render(), 'layerwatch_gpu_health_up', node)).toBe(0);
    const sleeper = await fake.sleepPid();
    await expect.poll(() => processAlive(sleeper ?? 0), { timeout: 2000 }).toBe(false);
  });

  it('start() runs at once, then every health_interval; stop() ends it', async () => {
    const { fake, collector } = await start(faults, { health_interval: 200, health_timeout: 100 });
    collector.start();
    await expect
      .poll(async () => (await fake.calls()).filter((c) => c === '-q -x').length, { timeout: 5000 })
      .toBeGreaterThanOrEqual(2);
    await collector.stop();
    const calls = (await fake.calls()).length;
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await fake.calls()).length).toBe(calls);
  });
});
