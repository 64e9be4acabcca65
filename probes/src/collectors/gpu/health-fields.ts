import { CLOCK_EVENT_REASONS } from '@layerwatch/vocabulary';
import type { XmlKind } from './health-values.js';

/**
 * What the health pass reads of `nvidia-smi -q -x`, one table: each series, its type, its
 * help, the element paths that hold it (older and newer drivers, first found wins) and how
 * the text becomes a number. Names follow the `nvidia_smi_*` family: where nvidia-smi has a
 * `--query-gpu` field for the value, the name is nvidia_gpu_exporter's name for that field.
 */
export interface HealthField {
  readonly metric: string;
  readonly type: 'gauge' | 'counter';
  readonly help: string;
  readonly kind: XmlKind;
  readonly paths: readonly (readonly string[])[];
  /** Labels beyond the GPU's own (`location`, `cause`, `reason`). */
  readonly labels?: Readonly<Record<string, string>>;
}

/** Re-exported for the collector's users; the list lives in the vocabulary. */
export { CLOCK_EVENT_REASONS };

/** Counters of time spent in a reason (driver 535+): their XML name → the reason's name. */
const REASON_COUNTERS: readonly (readonly [string, string])[] = [
  ['sw_power_cap', 'sw_power_cap'],
  ['sync_boost', 'sync_boost'],
  ['sw_therm_slowdown', 'sw_thermal_slowdown'],
  ['hw_therm_slowdown', 'hw_thermal_slowdown'],
  ['hw_power_brake', 'hw_power_brake_slowdown'],
];

/**
 * ECC error locations by the element that counts them, per driver generation: SRAM/DRAM
 * (R510+; R550+ splits uncorrectable SRAM into parity and SEC-DED), and the per-unit
 * counts of older drivers under `single_bit` / `double_bit`.
 */
const ECC_LOCATIONS = {
  corrected: [
    ['sram_correctable', 'sram'],
    ['dram_correctable', 'dram'],
    ...['device_memory', 'register_file', 'l1_cache', 'l2_cache', 'texture_memory', 'cbu'].map(
      (unit) => [`single_bit/${unit}`, unit] as const,
    ),
  ],
  uncorrected: [
    ['sram_uncorrectable', 'sram'],
    ['sram_uncorrectable_parity', 'sram_parity'],
    ['sram_uncorrectable_secded', 'sram_secded'],
    ['dram_uncorrectable', 'dram'],
    ...['device_memory', 'register_file', 'l1_cache', 'l2_cache', 'texture_memory', 'cbu'].map(
      (unit) => [`double_bit/${unit}`, unit] as const,
    ),
  ],
} as const;

function eccFields(): HealthField[] {
  const fields: HealthField[] = [];
  for (const scope of ['volatile', 'aggregate'] as const) {
    for (const severity of ['corrected', 'uncorrected'] as const) {
      const since = scope === 'volatile' ? 'since the driver loaded' : 'over the GPU’s life';
      for (const [element, location] of ECC_LOCATIONS[severity]) {
        fields.push({
          metric: `nvidia_smi_ecc_errors_${severity}_${scope}_total`,
          type: 'counter',
          help: `${severity === 'corrected' ? 'Corrected (single-bit)' : 'Uncorrected (double-bit)'} ECC errors ${since}, by location.`,
          kind: 'number',
          paths: [['ecc_errors', scope, ...element.split('/')]],
          labels: { location },
        });
      }
    }
  }
  return fields;
}

function reasonFields(): HealthField[] {
  const active = CLOCK_EVENT_REASONS.map((reason): HealthField => ({
    metric: 'nvidia_smi_clocks_event_reason_active',
    type: 'gauge',
    help: 'Whether a clock event (throttle) reason holds the clocks down now (1) or not (0).',
    kind: 'active',
    paths: [
      ['clocks_event_reasons', `clocks_event_reason_${reason}`],
      ['clocks_throttle_reasons', `clocks_throttle_reason_${reason}`],
    ],
    labels: { reason },
  }));
  const counted = REASON_COUNTERS.map(([element, reason]): HealthField => ({
    metric: 'nvidia_smi_clocks_event_reason_seconds_total',
    type: 'counter',
    help: 'Time the clocks were held down by a reason since the driver loaded, in seconds.',
    kind: 'number',
    paths: [['clocks_event_reasons_counters', `clocks_event_reasons_counters_${element}`]],
    labels: { reason },
  }));
  return [...active, ...counted];
}

const RETIRED_PAGES: readonly HealthField[] = [
  ['single_bit_ecc', 'multiple_single_bit_retirement'],
  ['double_bit_ecc', 'double_bit_retirement'],
].map(([cause = '', element = '']) => ({
  metric: 'nvidia_smi_retired_pages',
  type: 'gauge',
  help:
    'Device memory pages retired (page retirement, before Ampere), by cause: single_bit_ecc ' +
    '(repeated corrected errors) or double_bit_ecc.',
  kind: 'number',
  paths: [['retired_pages', element, 'retired_count']],
  labels: { cause },
}));

/**
 * The row remapper's readings (Ampere+): `nvidia_smi_remapped_rows_<name>` from the element
 * `remapped_rows/remapped_row_<element>`.
 */
const REMAPPED_ROWS: readonly HealthField[] = (
  [
    ['correctable', 'corr', 'number', 'Memory rows remapped for correctable errors (Ampere+).'],
    ['uncorrectable', 'unc', 'number', 'Memory rows remapped for uncorrectable errors (Ampere+).'],
    ['pending', 'pending', 'yes', 'Whether a row remap waits for a GPU reset (1) or not (0).'],
    ['failure', 'failure', 'yes', 'Whether a row remap failed (1): the GPU needs service.'],
  ] as const
).map(([name, element, kind, help]) =>
  gauge(`nvidia_smi_remapped_rows_${name}`, help, kind, [
    ['remapped_rows', `remapped_row_${element}`],
  ]),
);

const FIELDS: readonly HealthField[] = [
  gauge('nvidia_smi_ecc_mode_current', 'Whether ECC is on (1) or off (0).', 'enabled', [
    ['ecc_mode', 'current_ecc'],
  ]),
  gauge(
    'nvidia_smi_ecc_mode_pending',
    'Whether ECC is on (1) or off (0) after the next reset.',
    'enabled',
    [['ecc_mode', 'pending_ecc']],
  ),
  ...eccFields(),
  ...RETIRED_PAGES,
  gauge(
    'nvidia_smi_retired_pages_pending',
    'Whether a page waits to be retired at the next reset (1) or not (0).',
    'yes',
    [
      ['retired_pages', 'pending_retirement'],
      ['retired_pages', 'pending_blacklist'],
    ],
  ),
  ...REMAPPED_ROWS,
  ...reasonFields(),
  gauge(
    'nvidia_smi_pcie_link_gen_max',
    'Highest PCIe generation this GPU and slot support.',
    'number',
    [['pci', 'pci_gpu_link_info', 'pcie_gen', 'max_link_gen']],
  ),
  gauge(
    'nvidia_smi_pcie_link_width_max',
    'Widest PCIe link this GPU and slot support (lanes).',
    'number',
    [['pci', 'pci_gpu_link_info', 'link_widths', 'max_link_width']],
  ),
  {
    metric: 'nvidia_smi_pcie_replays_total',
    type: 'counter',
    help: 'PCIe replays (link-level retransmissions after an error) since the driver loaded.',
    kind: 'number',
    paths: [['pci', 'replay_counter']],
  },
  {
    metric: 'nvidia_smi_pcie_replay_rollovers_total',
    type: 'counter',
    help: 'Times the PCIe replay counter rolled over since the driver loaded.',
    kind: 'number',
    paths: [['pci', 'replay_rollover_counter']],
  },
];

function gauge(
  metric: string,
  help: string,
  kind: XmlKind,
  paths: readonly (readonly string[])[],
): HealthField {
  return { metric, type: 'gauge', help, kind, paths };
}

export const HEALTH_FIELDS: readonly HealthField[] = FIELDS;
