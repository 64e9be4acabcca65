import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  canonicalBusId,
  CLOCK_EVENT_REASONS,
  type GpuHealth,
  lostGpus,
  parseNvidiaSmiXml,
  readHealth,
  readXmlValue,
} from '../src/collectors/gpu/index.js';
import { ownFixtures, sharedCaptures } from './support/fake-nvidia-smi.js';

// Real `nvidia-smi -q -x` output of other people's GPUs, read in place from ../shared
// (never copied here); skipped, and said so, where ../shared is absent.
const sharedXml = join(dirname(sharedCaptures), 'xml');
const present = existsSync(sharedXml);
if (!present) console.warn(`SKIPPED gpu-health-xml (real XML): ${sharedXml} is absent`);

function healthOf(file: string, printed = ''): GpuHealth[] {
  const parsed = parseNvidiaSmiXml(readFileSync(file, 'utf8'));
  expect(parsed.ok, parsed.ok ? '' : parsed.reason).toBe(true);
  return readHealth(parsed, printed);
}

/** A GPU's readings as `metric{label=value}` → value, for exact comparison. */
function readings(gpu: GpuHealth | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const { field, value } of gpu?.samples ?? []) {
    const extra = Object.entries(field.labels ?? {}).map(([k, v]) => `${k}=${v}`);
    out[`${field.metric}${extra.length ? `{${extra.join(',')}}` : ''}`] = value;
  }
  return out;
}

const reasons = (active: readonly string[]): Record<string, number> =>
  Object.fromEntries(
    CLOCK_EVENT_REASONS.map((r) => [
      `nvidia_smi_clocks_event_reason_active{reason=${r}}`,
      active.includes(r) ? 1 : 0,
    ]),
  );
const ecc = (
  severity: 'corrected' | 'uncorrected',
  scope: 'volatile' | 'aggregate',
  byLocation: Record<string, number>,
): Record<string, number> =>
  Object.fromEntries(
    Object.entries(byLocation).map(([location, n]) => [
      `nvidia_smi_ecc_errors_${severity}_${scope}_total{location=${location}}`,
      n,
    ]),
  );
/** The V100 fixture's per-unit ECC counts (old drivers): its register file and L1 count 0. */
const v100Units = (device_memory: number, l2_cache: number) => ({
  device_memory,
  register_file: 0,
  l1_cache: 0,
  l2_cache,
});
const allEcc = (values: Record<string, number>) => ({
  ...ecc('corrected', 'volatile', values),
  ...ecc('uncorrected', 'volatile', values),
  ...ecc('corrected', 'aggregate', values),
  ...ecc('uncorrected', 'aggregate', values),
});
const pcie = (gen: number, width: number) => ({
  nvidia_smi_pcie_link_gen_max: gen,
  nvidia_smi_pcie_link_width_max: width,
  nvidia_smi_pcie_replays_total: 0,
  nvidia_smi_pcie_replay_rollovers_total: 0,
});

describe.skipIf(!present)(
  'real nvidia-smi -q -x output (../shared/fixtures/nvidia-smi/xml)',
  () => {
    it('tesla-t4.xml (515, clocks_throttle_reasons): every reading, no remapped rows', () => {
      const [t4, ...rest] = healthOf(join(sharedXml, 'tesla-t4.xml'));
      expect(rest).toEqual([]);
      expect([t4?.busId, t4?.uuid, t4?.index, t4?.unreadable]).toEqual([
        '00000000:00:1E.0',
        'GPU-d37e67a5-91dd-3774-a5cb-99096249601a',
        '0',
        undefined,
      ]);
      expect(readings(t4)).toEqual({
        nvidia_smi_ecc_mode_current: 1,
        nvidia_smi_ecc_mode_pending: 1,
        ...allEcc({ sram: 0, dram: 0 }),
        'nvidia_smi_retired_pages{cause=single_bit_ecc}': 0,
        'nvidia_smi_retired_pages{cause=double_bit_ecc}': 0,
        nvidia_smi_retired_pages_pending: 0,
        ...reasons([]),
        ...pcie(3, 16),
      });
    });

    it('dual_a5000-v13.xml (590, clocks_event_reasons): two GPUs, ECC off so no counts', () => {
      const gpus = healthOf(join(sharedXml, 'dual_a5000-v13.xml'));
      expect(gpus.map((g) => [g.busId, g.index, g.unreadable])).toEqual([
        ['00000000:81:00.0', '0', undefined],
        ['00000000:C1:00.0', '1', undefined],
      ]);
      const [first] = gpus;
      expect(readings(first)).toEqual({
        nvidia_smi_ecc_mode_current: 0,
        nvidia_smi_ecc_mode_pending: 0,
        nvidia_smi_remapped_rows_correctable: 0,
        nvidia_smi_remapped_rows_uncorrectable: 0,
        nvidia_smi_remapped_rows_pending: 0,
        nvidia_smi_remapped_rows_failure: 0,
        ...reasons(['gpu_idle']),
        'nvidia_smi_clocks_event_reason_seconds_total{reason=sw_power_cap}': 31637.354094,
        'nvidia_smi_clocks_event_reason_seconds_total{reason=sync_boost}': 0,
        'nvidia_smi_clocks_event_reason_seconds_total{reason=sw_thermal_slowdown}': 0,
        'nvidia_smi_clocks_event_reason_seconds_total{reason=hw_thermal_slowdown}': 0,
        'nvidia_smi_clocks_event_reason_seconds_total{reason=hw_power_brake_slowdown}': 0,
        ...pcie(4, 16),
      });
    });

    it('a100-sxm4-v12.xml (535, MIG on): ECC counts, retired pages and remapped rows absent', () => {
      const [a100] = healthOf(join(sharedXml, 'a100-sxm4-v12.xml'));
      expect(a100?.busId).toBe('00000000:01:00.0');
      expect(readings(a100)).toEqual({
        nvidia_smi_ecc_mode_current: 1,
        nvidia_smi_ecc_mode_pending: 1,
        ...allEcc({ sram: 0, dram: 0 }),
        ...reasons([]),
        ...pcie(4, 16),
      });
    });
  },
);

describe('our own -q -x fixtures', () => {
  it('health-faults.xml: errors counted per location, reasons, remaps; the absent GPU has none', () => {
    const [faulty, absent] = healthOf(join(ownFixtures, 'health-faults.xml'));
    expect(readings(faulty)).toEqual({
      nvidia_smi_ecc_mode_current: 1,
      nvidia_smi_ecc_mode_pending: 0,
      ...ecc('corrected', 'volatile', { sram: 5, dram: 7 }),
      ...ecc('uncorrected', 'volatile', { sram_parity: 0, sram_secded: 1, dram: 2 }),
      ...ecc('corrected', 'aggregate', { sram: 15, dram: 27 }),
      ...ecc('uncorrected', 'aggregate', { sram_parity: 0, sram_secded: 1, dram: 3 }),
      nvidia_smi_remapped_rows_correctable: 4,
      nvidia_smi_remapped_rows_uncorrectable: 1,
      nvidia_smi_remapped_rows_pending: 1,
      nvidia_smi_remapped_rows_failure: 1,
      ...reasons(['hw_slowdown', 'hw_thermal_slowdown', 'sw_thermal_slowdown']),
      'nvidia_smi_clocks_event_reason_seconds_total{reason=sw_power_cap}': 0,
      'nvidia_smi_clocks_event_reason_seconds_total{reason=sync_boost}': 0,
      'nvidia_smi_clocks_event_reason_seconds_total{reason=sw_thermal_slowdown}': 2.5,
      'nvidia_smi_clocks_event_reason_seconds_total{reason=hw_thermal_slowdown}': 1.25,
      'nvidia_smi_clocks_event_reason_seconds_total{reason=hw_power_brake_slowdown}': 0,
      nvidia_smi_pcie_link_gen_max: 4,
      nvidia_smi_pcie_link_width_max: 16,
      nvidia_smi_pcie_replays_total: 12,
      nvidia_smi_pcie_replay_rollovers_total: 0,
    });
    // N/A, [N/A], Not Supported, Function Not Found, deprecated, Insufficient Permissions.
    expect(absent?.unreadable).toBeUndefined();
    expect(readings(absent)).toEqual({});
  });

  it('health-throttle-reasons.xml (450): old element names, per-unit ECC, retired pages', () => {
    const [v100] = healthOf(join(ownFixtures, 'health-throttle-reasons.xml'));
    expect(readings(v100)).toEqual({
      nvidia_smi_ecc_mode_current: 1,
      nvidia_smi_ecc_mode_pending: 1,
      ...ecc('corrected', 'volatile', v100Units(3, 1)),
      ...ecc('uncorrected', 'volatile', { ...v100Units(1, 0), cbu: 0 }),
      ...ecc('corrected', 'aggregate', v100Units(8, 1)),
      ...ecc('uncorrected', 'aggregate', { ...v100Units(2, 0), cbu: 0 }),
      'nvidia_smi_retired_pages{cause=single_bit_ecc}': 2,
      'nvidia_smi_retired_pages{cause=double_bit_ecc}': 1,
      nvidia_smi_retired_pages_pending: 1,
      ...reasons(['sw_power_cap', 'hw_power_brake_slowdown']),
      ...pcie(3, 16),
    });
  });

  it('health-unreadable.xml: ERR!, [Unknown Error] and "fallen off the bus" give a reason and no readings', () => {
    const gpus = healthOf(join(ownFixtures, 'health-unreadable.xml'));
    expect(gpus.map((g) => [g.busId, g.uuid, g.unreadable, g.samples.length])).toEqual([
      ['00000000:07:00.0', 'GPU-3f2a61c4-8b1e-4d7a-9c55-0e1f2a3b4c5d', undefined, 3],
      ['00000000:0F:00.0', 'GPU-9d8c7b6a-5f4e-4321-8abc-def012345678', 'err', 0],
      ['00000000:47:00.0', 'GPU-1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d', 'unknown_error', 0],
      ['00000000:4E:00.0', '', 'fallen_off_the_bus', 0],
    ]);
  });

  it('a GPU nvidia-smi cannot open is listed after the XML, with its reason', () => {
    const printed = [
      'Unable to determine the device handle for GPU0000:AF:00.0: GPU is lost.  Reboot the system to recover this GPU',
      'Unable to determine the device handle for gpu 0000:d8:00.0: Unknown Error',
      'Unable to determine the device handle for GPU 0000:DA:00.0: GPU has fallen off the bus.',
      'Unable to determine the device handle for GPU0000:07:00.0: Unknown Error',
    ].join('\n');
    expect(Object.fromEntries(lostGpus(printed))).toEqual({
      '00000000:AF:00.0': 'gpu_lost',
      '00000000:D8:00.0': 'unknown_error',
      '00000000:DA:00.0': 'fallen_off_the_bus',
      '00000000:07:00.0': 'unknown_error',
    });
    const gpus = healthOf(join(ownFixtures, 'health-unreadable.xml'), printed);
    // 07:00.0 is in the XML: the XML's reading of it stands.
    expect(gpus.map((g) => [g.busId, g.index, g.unreadable])).toEqual([
      ['00000000:07:00.0', '0', undefined],
      ['00000000:0F:00.0', '1', 'err'],
      ['00000000:47:00.0', '2', 'unknown_error'],
      ['00000000:4E:00.0', '3', 'fallen_off_the_bus'],
      ['00000000:AF:00.0', '', 'gpu_lost'],
      ['00000000:D8:00.0', '', 'unknown_error'],
      ['00000000:DA:00.0', '', 'fallen_off_the_bus'],
    ]);
  });

  it('what is not nvidia-smi XML fails with a reason, never a throw', () => {
    const garbage = parseNvidiaSmiXml(readFileSync(join(ownFixtures, 'garbage.txt'), 'utf8'));
    expect(garbage).toEqual({
      ok: false,
      reason:
        "not nvidia-smi XML: line 1: char 'F' is not expected. " +
        '(starts "Failed to initialize NVML: Driver/library version mismatch N…")',
    });
    // Cut short, as a run killed mid-print leaves it.
    expect(parseNvidiaSmiXml('<nvidia_smi_log><gpu id="x">')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^not nvidia-smi XML: line 1: Invalid /),
    });
    expect(parseNvidiaSmiXml('<other/>')).toEqual({
      ok: false,
      reason: 'not nvidia-smi XML: no <nvidia_smi_log> (starts "<other/>")',
    });
    expect(parseNvidiaSmiXml('')).toMatchObject({ ok: false });
  });
});

describe('values and bus ids', () => {
  it.each([
    ['16x', 'number', 16],
    ['31637354094 us', 'number', 31637.354094],
    ['Active', 'active', 1],
    ['Not Active', 'active', 0],
    ['Yes', 'yes', 1],
    ['Disabled', 'enabled', 0],
    ['[N/A]', 'number', undefined],
    ['Requested functionality has been deprecated', 'active', undefined],
    ['[Insufficient Permissions]', 'number', undefined],
    ['0x1F', 'number', undefined],
  ] as const)('%s as %s is %s', (text, kind, value) => {
    expect(readXmlValue(text, kind)).toBe(value);
  });

  it.each([
    ['00000000:81:00.0', '00000000:81:00.0'],
    ['0000:3b:00', '00000000:3B:00.0'],
    ['PCI:0000:18:00', '00000000:18:00.0'],
    ['GPU-1234', undefined],
  ])('%s → %s', (text, busId) => {
    expect(canonicalBusId(text)).toBe(busId);
  });
});
