/**
 * GPU / resources (layer 8): the GPU collector's `nvidia_smi_*` series (named as
 * nvidia_gpu_exporter names them) per GPU and node, allocation and cost from the exporters.
 */
import type { DashboardSpec } from '../dashboard.js';
import { EXPORTED } from '../metrics.js';
import {
  badFrom,
  bargaugePanel,
  flag,
  instant,
  statPanel,
  tablePanel,
  tableRows,
  timeseriesPanel,
  UP_DOWN,
  type PanelBuilder,
  type Thresholds,
  overTime,
  SHARE,
} from '../panels.js';
import { series } from '../promql.js';
import { durationSeconds, type DashboardSettings } from '../settings.js';
import { gpuHealth } from './gpu-health.js';
import { exporterPanel } from './layer-parts.js';
import { gpusOfNodes, PER_GPU, perGpuShare } from './gpu-parts.js';

export function gpuResources(s: DashboardSettings): DashboardSpec {
  return {
    slug: 'gpu-resources',
    title: 'Layerwatch / GPU and resources (layer 8)',
    description:
      'Layer 8: utilisation, memory, temperature and power of every GPU per node, from the ' +
      'GPU collector; its health (ECC, reset-pending rows, XIDs, clock event reasons, PCIe); ' +
      'and allocation and cost from the exporters.',
    tags: ['layer-8', 'gpu'],
    variables: ['node'],
    panels: [
      ...utilization(s),
      ...memoryHeatAndPower(s),
      ...gpuHealth(s),
      ...allocationAndCost(s),
      ...collectorAndInventory(s),
    ],
  };
}

/** Blue while idle, green in use, red once saturated: the two GPU alerts' lines. */
function idleToSaturated(s: DashboardSettings): Thresholds {
  const t = s.thresholds;
  return {
    base: 'blue',
    steps: [
      { value: t.gpuIdleRatio, color: 'green' },
      { value: t.gpuSaturatedRatio, color: 'red' },
    ],
  };
}

/** Utilisation per GPU over time, and per node now, against the two GPU alerts' lines. */
function utilization(s: DashboardSettings): PanelBuilder[] {
  const utilized = series('nvidia_smi_utilization_gpu_ratio', ...gpusOfNodes(s));
  const t = s.thresholds;
  const idleOrSaturated = {
    ...SHARE,
    alerts: ['LayerwatchGpuSaturated', 'LayerwatchGpuIdleWhileJobsQueue'],
    thresholds: idleToSaturated(s),
  } as const;
  return [
    timeseriesPanel(s, {
      ...idleOrSaturated,
      title: 'GPU utilization',
      description:
        `Share of time a kernel ran on each GPU. Red from ${t.gpuSaturatedRatio * 100} % ` +
        `(saturated), blue under ${t.gpuIdleRatio * 100} % (idle, a problem while jobs queue). ` +
        'Absent under MIG.',
      queries: [overTime(utilized, PER_GPU)],
    }),
    bargaugePanel(s, {
      ...idleOrSaturated,
      title: 'Utilization by node',
      description: 'Mean GPU utilisation of each node, with the same idle and saturated lines.',
      queries: [instant(`avg by (node) (${utilized})`, '{{node}}')],
    }),
  ];
}

/** Memory used, core temperature and power draw of each GPU: what saturation wears on. */
function memoryHeatAndPower(s: DashboardSettings): PanelBuilder[] {
  const gpu = gpusOfNodes(s);
  const alerts = ['LayerwatchGpuSaturated'] as const;
  return [
    timeseriesPanel(s, {
      ...SHARE,
      title: 'GPU memory used',
      description:
        'Device memory allocated by active contexts on each GPU, as a share of its total.',
      queries: [
        overTime(
          perGpuShare(s, 'nvidia_smi_memory_used_bytes', 'nvidia_smi_memory_total_bytes'),
          PER_GPU,
        ),
      ],
      alerts,
    }),
    timeseriesPanel(s, {
      title: 'GPU temperature',
      description:
        'Core temperature of each GPU; sustained heat throttles clocks before anything fails.',
      unit: 'celsius',
      queries: [overTime(series('nvidia_smi_temperature_gpu', ...gpu), PER_GPU)],
      alerts,
    }),
    timeseriesPanel(s, {
      title: 'GPU power draw',
      description:
        'Power draw of each board, and its software power limit ("limit" in the legend).',
      unit: 'watt',
      queries: [
        overTime(series('nvidia_smi_power_draw_watts', ...gpu), PER_GPU),
        overTime(series('nvidia_smi_power_limit_watts', ...gpu), `limit ${PER_GPU}`),
      ],
      alerts,
    }),
  ];
}

/** GPUs allocated against capacity, and what the allocated ones cost per hour. */
function allocationAndCost(s: DashboardSettings): PanelBuilder[] {
  const m = EXPORTED.layer8;
  const gpu = gpusOfNodes(s);
  const alsoAlerts = ['LayerwatchGpuIdleWhileJobsQueue'];
  return [
    exporterPanel(s, {
      title: 'GPU allocation',
      description:
        'GPUs allocated to workloads on each node, against the GPUs that can be allocated.',
      unit: 'short',
      queries: [
        overTime(series(m.gpuAllocated, ...gpu), 'allocated {{node}}'),
        overTime(series(m.gpuCapacity, ...gpu), 'capacity {{node}}'),
      ],
      alsoAlerts,
      min: 0,
    }),
    exporterPanel(s, {
      kind: 'stat',
      title: 'GPU cost per hour',
      description:
        'Running cost of the allocated GPUs in US dollars per hour, per node and in total.',
      unit: 'currencyUSD',
      queries: [
        instant(`sum by (node) (${series(m.costPerHour, ...gpu)})`, '{{node}}'),
        instant(`sum(${series(m.costPerHour, ...gpu)})`, 'total'),
      ],
      alsoAlerts,
      page: 'overview',
    }),
  ];
}

/** Whether the GPU collector runs and its data is fresh, and every GPU it saw. */
function collectorAndInventory(s: DashboardSettings): PanelBuilder[] {
  const gpu = gpusOfNodes(s);
  const t = s.thresholds;
  return [
    statPanel(s, {
      title: 'GPU collector',
      description:
        'Whether the last nvidia-smi run on each node succeeded and parsed; while DOWN no GPU series are fresh.',
      unit: 'none',
      queries: [instant(series('layerwatch_gpu_collector_up', ...gpu), '{{node}}')],
      alerts: ['LayerwatchGpuCollectorDown', 'LayerwatchGpuNodeDown'],
      ...flag(UP_DOWN),
      span: 6,
    }),
    statPanel(s, {
      title: 'GPU data age',
      description:
        `Seconds since the last successful nvidia-smi run on each node; red from ` +
        `${t.gpuStaleAfter}, when the GPU figures above are stale.`,
      unit: 's',
      queries: [
        instant(
          `time() - ${series('layerwatch_gpu_collector_last_success_timestamp_seconds', ...gpu)}`,
          '{{node}}',
        ),
      ],
      alerts: ['LayerwatchGpuDataStale'],
      thresholds: badFrom(durationSeconds(t.gpuStaleAfter)),
      span: 6,
    }),
    tablePanel(s, {
      title: 'GPUs',
      description:
        'Every GPU the collector saw: node, index, model name, driver version, PCI bus id and UUID.',
      unit: 'none',
      queries: [tableRows(series('nvidia_smi_gpu_info', ...gpu))],
      alerts: ['LayerwatchGpuCollectorDown'],
      span: 24,
    }),
  ];
}
