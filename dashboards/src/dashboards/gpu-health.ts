/**
 * The GPU dashboard's health row: what pages before a GPU dies, from the health pass
 * (`nvidia-smi -q -x`) and the kernel log's XIDs: ECC errors, rows to remap and pages to
 * retire, clock event reasons, XIDs, the PCIe link and whether nvidia-smi can read the GPU.
 */
import {
  instant,
  panel,
  type PanelBuilder,
  type PanelSpec,
  overTime,
  SHARE,
  ZERO_WHEN_HEALTHY,
} from '../panels.js';
import { increase, orZero, series, sumBy } from '../promql.js';
import type { DashboardSettings } from '../settings.js';
import { gpusOfNodes, PER_GPU, perGpuShare, type GpuMatchers } from './gpu-parts.js';

/** A GPU whose rows or pages wait for a reset, or whose row remapping failed. */
const NEEDS_RESET = ['remapped_rows_failure', 'remapped_rows_pending', 'retired_pages_pending'];

export function gpuHealth(s: DashboardSettings): PanelBuilder[] {
  const gpu = gpusOfNodes(s);
  const specs = [...lostAndResetDue(gpu), ...errors(gpu), ...slowdownsAndLink(s, gpu)];
  return specs.map((spec) => panel(s, spec));
}

/** Counts that are 0 on a healthy node: GPUs lost, GPUs due a reset. */
function lostAndResetDue(gpu: GpuMatchers): PanelSpec[] {
  const needsReset = NEEDS_RESET.map((m) => `(${series(`nvidia_smi_${m}`, ...gpu)} == 1)`);
  return [
    {
      kind: 'stat',
      ...ZERO_WHEN_HEALTHY,
      title: 'GPUs nvidia-smi cannot read',
      description:
        'GPUs the driver lost (fallen off the bus, no device handle, ERR! values): 0 is healthy. Their other series stop, never read 0.',
      queries: [instant(orZero(`count(${series('nvidia_smi_gpu_readable', ...gpu)} == 0)`))],
      alerts: ['LayerwatchGpuUnreadable', 'LayerwatchGpuXidFatal'],
    },
    {
      kind: 'stat',
      ...ZERO_WHEN_HEALTHY,
      title: 'GPUs waiting for a reset',
      description:
        'GPUs with rows to remap or pages to retire at the next reset, or whose row remapping failed: drain, then reset.',
      queries: [instant(orZero(`count(${needsReset.join(' or ')})`))],
      alerts: ['LayerwatchGpuNeedsReset'],
    },
  ];
}

/** New uncorrectable ECC errors and XIDs: each one is a page. */
function errors(gpu: GpuMatchers): PanelSpec[] {
  /** Events counted per interval, 0 (not "No data") while none happen. */
  const newEvents = (by: readonly string[], counter: string): string =>
    orZero(sumBy(by, increase(counter, ...gpu)));
  const counts = { unit: 'short', min: 0 } as const;
  return [
    {
      kind: 'timeseries',
      ...counts,
      title: 'Uncorrectable ECC errors',
      description:
        'New uncorrectable ECC errors per GPU and location (SRAM, DRAM) since the last reset: any is a page.',
      queries: [
        overTime(
          newEvents(
            ['node', 'index', 'location'],
            'nvidia_smi_ecc_errors_uncorrected_volatile_total',
          ),
          `${PER_GPU} {{location}}`,
        ),
      ],
      alerts: ['LayerwatchGpuEccUncorrectableErrors'],
    },
    {
      kind: 'timeseries',
      ...counts,
      title: 'XID errors',
      description:
        'XIDs the driver logged per node and code (from the kernel log): 79 and 95 mean a lost GPU, 48/63/64/74/94 a reset, 13/31/43 an application fault.',
      queries: [
        overTime(newEvents(['node', 'xid'], 'nvidia_smi_xid_errors_total'), '{{node}} XID {{xid}}'),
      ],
      alerts: [
        'LayerwatchGpuXidFatal',
        'LayerwatchGpuXidNeedsReset',
        'LayerwatchGpuXidApplication',
      ],
    },
  ];
}

/** Why clocks are held down, and whether the PCIe link trained down. */
function slowdownsAndLink(s: DashboardSettings, gpu: GpuMatchers): PanelSpec[] {
  return [
    {
      kind: 'state',
      title: 'Clock event reasons',
      description:
        'Why each GPU runs below its top clock, over time: hardware thermal or power-brake slowdowns page; idle and software caps are expected.',
      unit: 'none',
      queries: [
        overTime(series('nvidia_smi_clocks_event_reason_active', ...gpu), `${PER_GPU} {{reason}}`),
      ],
      alerts: ['LayerwatchGpuHardwareSlowdown'],
      mappings: { 0: ['not active', 'green'], 1: ['active', 'orange'] },
    },
    {
      kind: 'timeseries',
      ...SHARE,
      title: 'PCIe link against its maximum',
      description:
        'Current PCIe link width and generation of each GPU as a share of its maximum: below 1 the link trained down (an idle GPU lowers its generation to save power).',
      queries: [
        overTime(
          perGpuShare(s, 'nvidia_smi_pcie_link_width_current', 'nvidia_smi_pcie_link_width_max'),
          `width ${PER_GPU}`,
        ),
        overTime(
          perGpuShare(s, 'nvidia_smi_pcie_link_gen_current', 'nvidia_smi_pcie_link_gen_max'),
          `generation ${PER_GPU}`,
        ),
      ],
      alerts: ['LayerwatchGpuPcieLinkDegraded'],
    },
  ];
}
