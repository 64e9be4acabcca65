import type { SampleSink } from '../../format/sample-sink.js';
import type { GpuHealth } from './health-readings.js';
import type { NvlinkGpu } from './nvlink.js';
import { type NodeLabels, uuidLabel, passSeriesWriter } from './series.js';
import type { XidCount, XidEvent } from './xid.js';

type LabelName =
  'uuid' | 'index' | 'layer' | 'node' | 'pci_bus_id' | 'reason' | 'xid' | 'location' | 'cause';
type Labels = Partial<Record<LabelName, string>>;

/** Who a GPU is, as the series label it; '' where the output never said. */
export interface GpuIdentity {
  readonly uuid: string;
  readonly index: string;
}

/** `uuid` and `index` as the CSV pass writes them; left out (not empty) where unknown. */
function gpuLabels(gpu: GpuIdentity, node: NodeLabels): Labels {
  return {
    ...(gpu.uuid === '' ? {} : { uuid: uuidLabel(gpu.uuid) }),
    ...(gpu.index === '' ? {} : { index: gpu.index }),
    layer: node.layer,
    node: node.node,
  };
}

/**
 * Each GPU's `nvidia_smi_gpu_readable` and, for a readable one, its readings. An unreadable
 * GPU has its reason and no other series: a lost GPU shows no zeros.
 */
export function writeGpuHealthSeries(
  gpus: readonly GpuHealth[],
  node: NodeLabels,
  metrics: SampleSink,
): void {
  for (const gpu of gpus) {
    const labels = gpuLabels(gpu, node);
    metrics.gauge(
      'nvidia_smi_gpu_readable',
      'Whether nvidia-smi could read this GPU (1) or not (0, with the reason: fallen_off_the_bus, no_device_handle, gpu_lost, requires_reset, unknown_error, err, missing).',
      gpu.unreadable === undefined ? 1 : 0,
      {
        ...labels,
        pci_bus_id: gpu.busId,
        ...(gpu.unreadable === undefined ? {} : { reason: gpu.unreadable }),
      },
    );
    for (const { field, value } of gpu.samples) {
      const all = { ...labels, ...field.labels };
      if (field.type === 'counter') metrics.counter(field.metric, field.help, value, all);
      else metrics.gauge(field.metric, field.help, value, all);
    }
  }
}

/** Each NVLink of each GPU that has any: state, speed, error counters (`nvlink -s`, `-e`). */
export function writeNvlinkSeries(
  gpus: readonly NvlinkGpu[],
  node: NodeLabels,
  metrics: SampleSink,
): void {
  for (const gpu of gpus) {
    const labels = gpuLabels(gpu, node);
    for (const link of gpu.links) {
      const linkLabels = { ...labels, link: link.link };
      metrics.gauge(
        'nvidia_smi_nvlink_link_active',
        'Whether an NVLink of the GPU is up (1) or inactive (0).',
        link.active ? 1 : 0,
        linkLabels,
      );
      if (link.speedBytes !== undefined) {
        metrics.gauge(
          'nvidia_smi_nvlink_link_speed_bytes_per_second',
          'The speed an active NVLink runs at, in bytes per second.',
          link.speedBytes,
          linkLabels,
        );
      }
      for (const [type, count] of link.errors) {
        metrics.counter(
          'nvidia_smi_nvlink_errors_total',
          'NVLink errors since the driver loaded, by type (replay, recovery, crc, …).',
          count,
          { ...linkLabels, type },
        );
      }
    }
  }
}

export interface XidSeries {
  readonly counts: readonly XidCount[];
  readonly lastByCode: readonly XidEvent[];
  readonly last: readonly XidEvent[];
  /** The GPU behind a bus id, as far as any run told. */
  readonly identify: (busId: string) => GpuIdentity;
  /** Whether the last read of the kernel log worked; undefined when it is not read (`off`). */
  readonly readable: boolean | undefined;
}

/** XIDs from the kernel log, by GPU: counts and last time per code, and the last code. */
export function writeXidSeries(xids: XidSeries, node: NodeLabels, metrics: SampleSink): void {
  if (xids.readable !== undefined) {
    metrics.gauge(
      'layerwatch_gpu_kernel_log_readable',
      'Whether the last read of the kernel log for XID errors worked (1) or not (0: XIDs go unseen; the reason is in the log).',
      xids.readable ? 1 : 0,
      { layer: node.layer, node: node.node },
    );
  }
  const labelsOf = (busId: string): Labels => ({
    ...gpuLabels(xids.identify(busId), node),
    pci_bus_id: busId,
  });
  for (const { busId, xid, count } of xids.counts) {
    metrics.counter(
      'nvidia_smi_xid_errors_total',
      'XID errors the NVIDIA driver logged in the kernel log since the collector started reading it (this boot), by code.',
      count,
      { ...labelsOf(busId), xid },
    );
  }
  // When each code was last logged: an alert on "an XID in the last N minutes" needs no
  // counter that existed before the first XID, and a restart does not page again.
  for (const event of xids.lastByCode) {
    if (event.atSeconds === undefined) continue;
    metrics.gauge(
      'nvidia_smi_xid_last_timestamp_seconds',
      'When this XID code was last logged for this GPU, in unix seconds (from the log line; the read time where the line has none).',
      event.atSeconds,
      { ...labelsOf(event.busId), xid: event.xid },
    );
  }
  for (const event of xids.last) {
    metrics.gauge(
      'nvidia_smi_xid_last',
      'The code of the last XID error logged for this GPU.',
      Number(event.xid),
      labelsOf(event.busId),
    );
  }
}

/** The health pass's own series, on every run: the GPU series may be from an older one. */
export const writeHealthPassSeries = passSeriesWriter('layerwatch_gpu_health', {
  up: 'Whether the last nvidia-smi -q -x run succeeded and its XML parsed (1) or not (0: the GPU health series are from the last good run).',
  duration:
    'How long the last health pass took (kernel log, nvidia-smi -q -x, parsing), in seconds.',
  lastSuccess:
    'When the last good nvidia-smi -q -x run finished, in unix seconds: the age of the GPU health series shown.',
});
