import type { Logger } from 'pino';
import type { GpuCollectorSettings } from '../../config/collector-settings.js';
import type { SampleList } from '../../format/sample-sink.js';
import { periodicCollector } from '../periodic-collector.js';
import type { Collector } from '../types.js';
import { type GpuHealth, readHealth } from './health-readings.js';
import {
  type GpuIdentity,
  writeGpuHealthSeries,
  writeHealthPassSeries,
  writeNvlinkSeries,
  writeXidSeries,
} from './health-series.js';
import { parseNvidiaSmiXml } from './health-xml.js';
import { type NvlinkGpu, readNvlink } from './nvlink.js';
import { onceLog } from './once-log.js';
import { runNvidiaSmi } from './run-nvidia-smi.js';
import type { NodeLabels } from './series.js';
import { KERNEL_LOG_TIMEOUT_MS, xidWatch } from './xid-watch.js';

export type HealthPassSettings = Pick<
  GpuCollectorSettings,
  'nvidia_smi_path' | 'health_interval' | 'health_timeout' | 'kernel_log' | 'node' | 'layer'
>;

/**
 * The GPU health pass (layer 8), beside the fast CSV pass: `nvidia-smi -q -x` every
 * `health_interval` in one background run shared by every scrape (it costs ~0.4 s on a real
 * GPU, so never per scrape), and the kernel log's new XID lines. A failed run keeps the last
 * good readings, with `layerwatch_gpu_health_up 0` and the time of the last success beside
 * them; a GPU that cannot be read shows `nvidia_smi_gpu_readable 0` and nothing else.
 */
export function createGpuHealthCollector(settings: HealthPassSettings, logger: Logger): Collector {
  const node: NodeLabels = { layer: settings.layer, node: settings.node };
  const path = settings.nvidia_smi_path;
  const log = onceLog(logger, 'gpu-health');
  const xids = xidWatch(settings.kernel_log, log);
  /** Every GPU any run listed, by bus id: a GPU later lost keeps its uuid and index. */
  const known = new Map<string, GpuIdentity>();
  let lastGood: readonly GpuHealth[] = [];
  let lastNvlink: readonly NvlinkGpu[] = [];
  let lastSuccessSeconds: number | undefined;

  const readGpus = async (signal: AbortSignal): Promise<{ up: boolean; gpus: GpuHealth[] }> => {
    const run = await runNvidiaSmi({
      path,
      args: ['-q', '-x'],
      timeoutMs: settings.health_timeout,
      signal,
    });
    const printed = run.ok ? run : run.printed;
    const parsed = printed ? parseNvidiaSmiXml(printed.stdout) : { ok: false as const, reason: '' };
    const gpus = readHealth(parsed, printed ? `${printed.stdout}\n${printed.stderr}` : '');
    if (parsed.ok) {
      log.success('nvidia-smi', 'nvidia-smi -q -x works again');
      return { up: true, gpus: [...gpus, ...missing(gpus)] };
    }
    log.failure(
      'nvidia-smi',
      run.ok ? parsed.reason : run.reason,
      'nvidia-smi -q -x failed; the last good health readings stay',
    );
    // The last good readings, less the GPUs this run says are lost.
    const lost = new Set(gpus.map((gpu) => gpu.busId));
    return { up: false, gpus: [...lastGood.filter((gpu) => !lost.has(gpu.busId)), ...gpus] };
  };

  /** GPUs an earlier run listed that this one neither lists nor says are lost. */
  const missing = (gpus: readonly GpuHealth[]): GpuHealth[] => {
    const listed = new Set(gpus.map((gpu) => gpu.busId));
    return [...known]
      .filter(([busId]) => !listed.has(busId))
      .map(([busId, id]) => ({ busId, ...id, unreadable: 'missing', samples: [] }));
  };

  const collect = async (metrics: SampleList, signal: AbortSignal): Promise<void> => {
    const started = performance.now();
    const kernelLogReadable = await xids.read(
      signal,
      Math.min(KERNEL_LOG_TIMEOUT_MS, settings.health_timeout),
    );
    const { up, gpus } = await readGpus(signal);
    const identified = gpus.map((gpu) => identify(gpu, known));
    if (up) {
      lastGood = identified;
      lastNvlink = await readNvlink(path, signal, settings.health_timeout);
      lastSuccessSeconds = Date.now() / 1000;
    }
    const durationSeconds = (performance.now() - started) / 1000;
    writeHealthPassSeries({ up, durationSeconds, lastSuccessSeconds }, node, metrics);
    writeGpuHealthSeries(identified, node, metrics);
    const lost = new Set(identified.filter((gpu) => gpu.unreadable).map((gpu) => gpu.uuid));
    writeNvlinkSeries(
      lastNvlink.filter((gpu) => !lost.has(gpu.uuid)),
      node,
      metrics,
    );
    const identifyBus = (busId: string): GpuIdentity => known.get(busId) ?? { uuid: '', index: '' };
    writeXidSeries(
      {
        counts: xids.counts(),
        lastByCode: xids.lastByCode(),
        last: xids.last(),
        identify: identifyBus,
        readable: kernelLogReadable,
      },
      node,
      metrics,
    );
  };

  return periodicCollector({
    name: 'gpu-health',
    intervalMs: settings.health_interval,
    timeoutMs: settings.health_timeout + KERNEL_LOG_TIMEOUT_MS,
    collect,
    logger,
  });
}

/** Fills a GPU's uuid and index from what earlier runs said, and remembers what this one says. */
function identify(gpu: GpuHealth, known: Map<string, GpuIdentity>): GpuHealth {
  const before = known.get(gpu.busId);
  const uuid = gpu.uuid || before?.uuid || '';
  const index = gpu.index || before?.index || '';
  if (uuid !== '' && index !== '') known.set(gpu.busId, { uuid, index });
  return { ...gpu, uuid, index };
}
