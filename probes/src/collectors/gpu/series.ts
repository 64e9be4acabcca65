import type { SampleSink } from '../../format/sample-sink.js';
import type { GpuReading } from './csv.js';
import { GAUGE_FIELDS } from './fields.js';

/** The labels the node gives every series: `layer` (settings.layer) and `node`. */
export interface NodeLabels {
  readonly layer: string;
  readonly node: string;
}

type GpuLabelName = 'uuid' | 'index' | 'layer' | 'node';
type InfoLabelName = GpuLabelName | 'name' | 'driver_version' | 'pci_bus_id';

/**
 * The `uuid` label as nvidia_gpu_exporter writes it (lower case, without `GPU-`), so its
 * dashboards and any alert that names a GPU keep working. Masked captures share one uuid,
 * which is why every series also carries `index`.
 */
export function uuidLabel(uuid: string): string {
  const lower = uuid.toLowerCase();
  return lower.startsWith('gpu-') ? lower.slice(4) : lower;
}

/** The series of one successful run: `nvidia_smi_gpu_info` and one gauge per reading. */
export function writeGpuSeries(
  gpus: readonly GpuReading[],
  node: NodeLabels,
  metrics: SampleSink,
): void {
  for (const gpu of gpus) {
    const labels: Record<GpuLabelName, string> = {
      uuid: uuidLabel(gpu.uuid),
      index: gpu.index,
      layer: node.layer,
      node: node.node,
    };
    const info: Record<InfoLabelName, string> = {
      uuid: labels.uuid,
      name: gpu.name,
      driver_version: gpu.driverVersion,
      pci_bus_id: gpu.pciBusId,
      index: gpu.index,
      layer: node.layer,
      node: node.node,
    };
    metrics.gauge(
      'nvidia_smi_gpu_info',
      "A metric with a constant '1' value labeled by the GPU's uuid, name, driver version, PCI bus id and index.",
      1,
      info,
    );
    for (const field of GAUGE_FIELDS) {
      const value = gpu.values.get(field.metric);
      if (value !== undefined) metrics.gauge(field.metric, field.help, value, labels);
    }
  }
}

/** How a pass of nvidia-smi went: what every pass writes about itself. */
export interface PassOutcome {
  readonly up: boolean;
  readonly durationSeconds: number;
  /** When the last successful run finished; none before the first success. */
  readonly lastSuccessSeconds: number | undefined;
}

/** The help text of a pass's `<prefix>_up`, `_duration_seconds` and `_last_success_timestamp_seconds`. */
export interface PassHelp {
  readonly up: string;
  readonly duration: string;
  readonly lastSuccess: string;
}

/** Writes a pass's own series under `prefix`, on every run; no last success before the first. */
export function passSeriesWriter(
  prefix: string,
  help: PassHelp,
): (pass: PassOutcome, node: NodeLabels, metrics: SampleSink) => void {
  return (pass, node, metrics) => {
    const labels = { layer: node.layer, node: node.node };
    metrics.gauge(`${prefix}_up`, help.up, pass.up ? 1 : 0, labels);
    metrics.gauge(`${prefix}_duration_seconds`, help.duration, pass.durationSeconds, labels);
    if (pass.lastSuccessSeconds !== undefined) {
      const name = `${prefix}_last_success_timestamp_seconds`;
      metrics.gauge(name, help.lastSuccess, pass.lastSuccessSeconds, labels);
    }
  };
}

export interface CollectorHealth extends PassOutcome {
  /** GPUs in this run's output; unknown (no sample) when the run failed. */
  readonly gpus: number | undefined;
}

const writeCsvPassSeries = passSeriesWriter('layerwatch_gpu_collector', {
  up: 'Whether the last nvidia-smi run succeeded and its output parsed (1) or not (0: no GPU series).',
  duration: 'How long the last nvidia-smi run took, parsing included, in seconds.',
  lastSuccess:
    'When the last successful nvidia-smi run finished, in unix seconds; any GPU series shown are from that run.',
});

/** The collector's own series, written on every run, failed or not. */
export function writeHealthSeries(
  health: CollectorHealth,
  node: NodeLabels,
  metrics: SampleSink,
): void {
  writeCsvPassSeries(health, node, metrics);
  if (health.gpus !== undefined) {
    metrics.gauge(
      'layerwatch_gpu_collector_gpus',
      'GPUs in the last successful nvidia-smi output.',
      health.gpus,
      { layer: node.layer, node: node.node },
    );
  }
}
