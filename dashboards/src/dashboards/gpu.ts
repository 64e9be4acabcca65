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
} from '../panels.js';
import { series } from '../promql.js';
import { durationSeconds, type DashboardSettings } from '../settings.js';
import { gpuHealth } from './gpu-health.js';
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

/** Utilisation per GPU over time, and per node now. */
function utilization(s: DashboardSettings): PanelBuilder[] {
  const gpu = gpusOfNodes(s);
  const t = s.thresholds;
  return [
    timeseriesPanel(s, {
      title: 'GPU utilization',
      description:
        `Share of time a kernel ran on each GPU. Red from ${t.gpuSaturatedRatio * 100} % ` +
        `(saturated), blue under ${t.gpuIdleRatio * 100} % (idle, a problem while jobs queue). ` +
        'Absent under MIG.',
      unit: 'percentunit',
      queries: [overTime(series('nvidia_smi_utilization_gpu_ratio', ...gpu), PER_GPU)],
      alerts: ['LayerwatchGpuSaturated', 'LayerwatchGpuIdleWhileJobsQueue'],
      thresholds: idleToSaturated(s),
      min: 0,
      max: 1,
      span: 12,
    }),
    bargaugePanel(s, {
      title: 'Utilization by node',
      description: 'Mean GPU utilisation of each node, with the same idle and saturated lines.',
      unit: 'percentunit',
      queries: [
        instant(
          `avg by (node) (${series('nvidia_smi_utilization_gpu_ratio', ...gpu)})`,
          '{{node}}',
        ),
      ],
      alerts: ['LayerwatchGpuSaturated', 'LayerwatchGpuIdleWhileJobsQueue'],
      thresholds: idleToSaturated(s),
      min: 0,
      max: 1,
      span: 12,
    }),
  ];
}

/** Memory used, core temperature and power draw of each GPU. */
function memoryHeatAndPower(s: DashboardSettings): PanelBuilder[] {
  const gpu = gpusOfNodes(s);
  return [
    timeseriesPanel(s, {
      title: 'GPU memory used',
      description:
        'Device memory allocated by active contexts on each GPU, as a share of its total.',
      unit: 'percentunit',
      queries: [
        overTime(
          perGpuShare(s, 'nvidia_smi_memory_used_bytes', 'nvidia_smi_memory_total_bytes'),
          PER_GPU,
        ),
      ],
      alerts: ['LayerwatchGpuSaturated'],
      min: 0,
      max: 1,
      span: 12,
    }),
    timeseriesPanel(s, {
      title: 'GPU temperature',
      description:
        'Core temperature of each GPU; sustained heat throttles clocks before anything fails.',
      unit: 'celsius',
      queries: [overTime(series('nvidia_smi_temperature_gpu', ...gpu), PER_GPU)],
      alerts: ['LayerwatchGpuSaturated'],
      span: 12,
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
      alerts: ['LayerwatchGpuSaturated'],
      span: 12,
    }),
  ];
}

/** GPUs allocated against capacity, and what the allocated ones cost per hour. */
function allocationAndCost(s: DashboardSettings): PanelBuilder[] {
  const m = EXPORTED.layer8;
  const gpu = gpusOfNodes(s);
  return [
    timeseriesPanel(s, {
      title: 'GPU allocation',
      description:
        'GPUs allocated to workloads on each node, against the GPUs that can be allocated.',
      unit: 'short',
      queries: [
        overTime(series(m.gpuAllocated, ...gpu), 'allocated {{node}}'),
        overTime(series(m.gpuCapacity, ...gpu), 'capacity {{node}}'),
      ],
      alerts: ['LayerwatchGpuIdleWhileJobsQueue', 'LayerwatchLayerExporterAbsent'],
      min: 0,
      span: 12,
    }),
    statPanel(s, {
      title: 'GPU cost per hour',
      description:
        'Running cost of the allocated GPUs in US dollars per hour, per node and in total.',
      unit: 'currencyUSD',
      queries: [
        instant(`sum by (node) (${series(m.costPerHour, ...gpu)})`, '{{node}}'),
        instant(`sum(${series(m.costPerHour, ...gpu)})`, 'total'),
      ],
      alerts: ['LayerwatchGpuIdleWhileJobsQueue', 'LayerwatchLayerExporterAbsent'],
      page: 'overview',
      span: 12,
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
