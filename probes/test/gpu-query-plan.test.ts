import { existsSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createGpuCollector,
  DEFAULT_PLAN,
  describePlan,
  knownQueryFields,
  nvidiaSmiArgs,
  planQuery,
  QUERY_FIELDS,
} from '../src/collectors/gpu/index.js';
import type { Collector } from '../src/collectors/types.js';
import {
  ownFixtures,
  sharedCaptures,
  seriesValue,
  writeFakeNvidiaSmi,
} from './support/fake-nvidia-smi.js';
import { tempDirEach } from './support/temp-dir.js';
import { loggerInto } from './support/logs.js';

const HELP = join(ownFixtures, 'help-query-gpu.txt');
const helpText = readFileSync(HELP, 'utf8');
/** The fields asked for, from a run's arguments. */
const asked = (args: readonly string[]): string[] =>
  (args[0] ?? '').replace('--query-gpu=', '').split(',');

describe('knownQueryFields and planQuery (pure)', () => {
  it('reads every quoted name, aliases included, and only the help text', () => {
    const known = knownQueryFields(helpText);
    expect(known?.has('pcie.link.gen.gpucurrent')).toBe(true);
    expect(known?.has('gpu_name')).toBe(true);
    expect(known?.has('kmd_version')).toBe(true);
    // A description line that starts with a quote is no field list.
    expect(known?.has('0: Default')).toBe(false);
    expect(knownQueryFields('index, uuid\n0, GPU-1\n')).toBeUndefined();
    expect(knownQueryFields('')).toBeUndefined();
  });

  it('asks by the new names the driver knows and keeps the fields in order', () => {
    const plan = planQuery(knownQueryFields(helpText));
    expect(plan.renamed).toEqual([
      ['driver_version', 'kmd_version'],
      ['pcie.link.gen.current', 'pcie.link.gen.gpucurrent'],
    ]);
    expect(plan.dropped).toEqual([]);
    expect(asked(plan.args)).toEqual(
      QUERY_FIELDS.map((f) =>
        f === 'driver_version'
          ? 'kmd_version'
          : f === 'pcie.link.gen.current'
            ? 'pcie.link.gen.gpucurrent'
            : f,
      ),
    );
  });

  it('leaves out what the driver does not know, but never index or uuid', () => {
    const known = new Set(['uuid', 'driver_version', 'pcie.link.gen.current', 'memory.used']);
    const plan = planQuery(known);
    expect(asked(plan.args)).toEqual([
      'index',
      'uuid',
      'driver_version',
      'memory.used',
      'pcie.link.gen.current',
    ]);
    expect(plan.dropped).toContain('temperature.memory');
    expect(plan.dropped).not.toContain('index');
    expect(describePlan(plan)).toMatch(/^unknown to this driver: name, pci.bus_id, pstate, /);
  });

  it('without a field list asks for every field by its old name', () => {
    expect(planQuery(undefined)).toBe(DEFAULT_PLAN);
    expect(DEFAULT_PLAN.args).toEqual(nvidiaSmiArgs());
  });
});

const capturesDir = join(dirname(sharedCaptures), 'captures');
describe.skipIf(!existsSync(capturesDir))(
  'the help text of real drivers (../shared captures)',
  () => {
    /** The `--help-query-gpu` section of a capture. */
    const helpOf = (file: string): string => {
      const text = readFileSync(join(capturesDir, file), 'utf8');
      const start = text.indexOf('# $ nvidia-smi --help-query-gpu');
      return text.slice(start, text.indexOf('# capabilities :: help-query-compute-apps', start));
    };

    it.each([
      [
        'linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01.txt',
        [['pcie.link.gen.current', 'pcie.link.gen.gpucurrent']],
      ],
      [
        'linux-x86_64__nvidia-geforce-rtx-4080-super__595.71.05.txt',
        [
          ['driver_version', 'kmd_version'],
          ['pcie.link.gen.current', 'pcie.link.gen.gpucurrent'],
        ],
      ],
    ])('%s: every field known, the new names preferred', (file, renamed) => {
      const plan = planQuery(knownQueryFields(helpOf(file)));
      expect(plan.dropped).toEqual([]);
      expect(plan.renamed).toEqual(renamed);
    });
  },
);

describe('the CSV pass on a stand-in driver that rejects one field', () => {
  const dir = tempDirEach('layerwatch-gpu-fields-');
  let collector: Collector | undefined;
  let logs: { level: number; msg: string; dropped?: string[] }[];
  beforeEach(() => {
    logs = [];
  });
  afterEach(async () => {
    await collector?.stop();
    collector = undefined;
  });

  /** two-gpus.csv as a driver prints it when asked by the new names. */
  async function newNamesCsv(): Promise<string> {
    const csv = (await readFile(join(ownFixtures, 'two-gpus.csv'), 'utf8'))
      .replace('driver_version', 'kmd_version')
      .replace('pcie.link.gen.current', 'pcie.link.gen.gpucurrent');
    const file = join(dir(), 'new-names.csv');
    await writeFile(file, csv);
    return file;
  }

  /** The help text without one field's entry: a driver that removed it. */
  async function helpWithout(field: string): Promise<string> {
    const file = join(dir(), `help-without-${field}.txt`);
    await writeFile(
      file,
      helpText.replace(new RegExp(`^"${field.replace(/\./g, '\\.')}"\\n.*\\n`, 'm'), ''),
    );
    return file;
  }

  function start(path: string): Collector {
    const logger = loggerInto(logs);
    const settings = {
      enabled: true,
      nvidia_smi_path: path,
      interval: 60_000,
      timeout: 2000,
      node: 'n1',
      layer: '8',
    };
    collector = createGpuCollector(settings, logger);
    return collector;
  }

  it('asks the help once, queries the new name, and keeps the series name', async () => {
    const fake = await writeFakeNvidiaSmi(dir(), {
      kind: 'driver',
      help: await helpWithout('pcie.link.gen.current'),
      csv: await newNamesCsv(),
      rejects: ['pcie.link.gen.current', 'driver_version'],
    });
    const gpu = start(fake.path);
    await gpu.collectNow();
    await gpu.collectNow();
    const text = gpu.render();
    expect(seriesValue(text, 'layerwatch_gpu_collector_up')).toBe(1);
    expect(seriesValue(text, 'nvidia_smi_pcie_link_gen_current', { index: '1' })).toBe(4);
    expect(
      seriesValue(text, 'nvidia_smi_gpu_info', { index: '0', driver_version: '550.54.15' }),
    ).toBe(1);
    const calls = await fake.calls();
    expect(calls.map((c) => c.split(' ')[0]?.slice(0, 12))).toEqual([
      '--help-query',
      '--query-gpu=',
      '--query-gpu=',
    ]);
    expect(asked(await fake.args())).toContain('pcie.link.gen.gpucurrent');
    expect(logs.filter((l) => l.level >= 40)).toEqual([]);
  });

  it('a driver upgraded underneath: one failed run, then the help again and up 1', async () => {
    const csv = join(ownFixtures, 'two-gpus.csv');
    // An old driver: knows only the old names.
    const oldHelp = join(dir(), 'old-help.txt');
    await writeFile(
      oldHelp,
      helpText.replace(/^"kmd_version"\n.*\n|^"pcie\.link\.gen\.gpucurrent"\n.*\n/gm, ''),
    );
    const fake = await writeFakeNvidiaSmi(dir(), { kind: 'driver', help: oldHelp, csv });
    const gpu = start(fake.path);
    await gpu.collectNow();
    expect(seriesValue(gpu.render(), 'layerwatch_gpu_collector_up')).toBe(1);
    expect(asked(await fake.args())).toContain('pcie.link.gen.current');

    // The new driver removed the old name.
    await writeFakeNvidiaSmi(dir(), {
      kind: 'driver',
      help: await helpWithout('pcie.link.gen.current'),
      csv: await newNamesCsv(),
      rejects: ['pcie.link.gen.current'],
    });
    await gpu.collectNow();
    expect(seriesValue(gpu.render(), 'layerwatch_gpu_collector_up')).toBe(0);
    await gpu.collectNow();
    const text = gpu.render();
    expect(seriesValue(text, 'layerwatch_gpu_collector_up')).toBe(1);
    expect(seriesValue(text, 'nvidia_smi_pcie_link_gen_current', { index: '0' })).toBe(4);
    expect((await fake.calls()).filter((c) => c === '--help-query-gpu')).toHaveLength(2);
  });

  it('a field the driver knows under no name is left out, and said once', async () => {
    const fake = await writeFakeNvidiaSmi(dir(), {
      kind: 'driver',
      help: await helpWithout('temperature.memory'),
      csv: join(ownFixtures, 'two-gpus.csv'),
      rejects: ['temperature.memory'],
    });
    const gpu = start(fake.path);
    await gpu.collectNow();
    await gpu.collectNow();
    expect(seriesValue(gpu.render(), 'layerwatch_gpu_collector_up')).toBe(1);
    expect(asked(await fake.args())).not.toContain('temperature.memory');
    const warned = logs.filter((l) => l.level === 40);
    expect(warned.map((l) => l.dropped)).toEqual([['temperature.memory']]);
  });
});
