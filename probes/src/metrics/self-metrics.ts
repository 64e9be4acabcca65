import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { FailureReason } from '../prober/failure-reason.js';

type ProbeLabels = 'module' | 'prober' | 'mode';
export type ProbeMode = 'endpoint' | 'scheduled';

/** Buckets that resolve the runbook's latency lines (50 ms, 100 ms, 500 ms) and timeouts. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The daemon's own series on `/metrics`, in one prom-client registry. */
export class SelfMetrics {
  readonly registry = new Registry();
  readonly probes = new Counter<ProbeLabels>({
    name: 'layerwatch_probes_total',
    help: 'Probes run, by module, prober and mode (endpoint = /probe, scheduled = config targets).',
    labelNames: ['module', 'prober', 'mode'],
    registers: [this.registry],
    collect: () => this.flushScheduled(),
  });
  readonly failures = new Counter<ProbeLabels | 'reason'>({
    name: 'layerwatch_probe_failures_total',
    help: 'Failed probes, by module, prober, mode and reason.',
    labelNames: ['module', 'prober', 'mode', 'reason'],
    registers: [this.registry],
  });
  readonly inFlight = new Gauge<'mode'>({
    name: 'layerwatch_probes_in_flight',
    help: 'Probes running now.',
    labelNames: ['mode'],
    registers: [this.registry],
    collect: () => this.flushScheduled(),
  });
  readonly rejections = new Counter<'mode'>({
    name: 'layerwatch_probe_rejections_total',
    help: 'Probes refused because the concurrency limit was reached (endpoint: answered 503; scheduled: skipped because the previous probe of the target still runs).',
    labelNames: ['mode'],
    registers: [this.registry],
  });
  readonly layerLatency = new Histogram<'layer' | 'module'>({
    name: 'layerwatch_layer_probe_duration_seconds',
    help: 'Duration of scheduled probes per layer and module (per-target durations are the probe_duration_seconds gauge).',
    labelNames: ['layer', 'module'],
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly reloadSuccessful = new Gauge({
    name: 'layerwatch_config_last_reload_successful',
    help: 'Whether the last configuration reload succeeded (1) or was rejected and the previous config kept (0).',
    registers: [this.registry],
  });
  readonly reloadTimestamp = new Gauge({
    name: 'layerwatch_config_last_reload_success_timestamp_seconds',
    help: 'Time of the last successful configuration load, in unix seconds.',
    registers: [this.registry],
  });
  readonly targetsConfigured = new Gauge<'layer'>({
    name: 'layerwatch_scheduled_targets',
    help: 'Targets the scheduler probes, per layer.',
    labelNames: ['layer'],
    registers: [this.registry],
  });

  constructor(version: string) {
    new Gauge({
      name: 'layerwatch_build_info',
      help: 'Layerwatch probe daemon build information; always 1.',
      labelNames: ['version', 'nodejs_version'],
      registers: [this.registry],
    }).set({ version, nodejs_version: process.version }, 1);
    collectDefaultMetrics({ register: this.registry });
    // prom-client names these gauges `_total`, which `promtool check metrics` rejects; the
    // per-type `nodejs_active_{handles,requests,resources}` gauges carry the same counts.
    for (const name of [
      'nodejs_active_handles_total',
      'nodejs_active_requests_total',
      'nodejs_active_resources_total',
    ]) {
      this.registry.removeSingleMetric(name);
    }
  }

  /** Scheduled probes running now, and whether any has run (the series appears then). */
  private scheduledInFlight = 0;
  private scheduledSeen = false;
  private readonly tallies = new Map<string, ScheduledTally>();

  /**
   * The counters of scheduled probes of one module, prober and layer, shared by their
   * targets: plain numbers per probe, handed to prom-client when `/metrics` is collected.
   */
  scheduledTally(module: string, prober: string, layer: string): ScheduledTally {
    const key = `${module}\u0000${prober}\u0000${layer}`;
    let tally = this.tallies.get(key);
    if (!tally) {
      tally = new ScheduledTally(
        this.probes.labels({ module, prober, mode: 'scheduled' }),
        this.layerLatency.labels({ layer, module }),
        (delta) => {
          this.scheduledSeen = true;
          this.scheduledInFlight += delta;
        },
      );
      this.tallies.set(key, tally);
    }
    return tally;
  }

  private flushScheduled(): void {
    for (const tally of this.tallies.values()) tally.flush();
    if (this.scheduledSeen) this.inFlight.set({ mode: 'scheduled' }, this.scheduledInFlight);
  }

  recordFailure(mode: ProbeMode, module: string, prober: string, reason: FailureReason): void {
    this.failures.inc({ module, prober, mode, reason });
  }

  /** Label children cached by key: a labelled `inc` re-hashes its labels on every call. */
  private readonly probeCounters = new Map<string, { inc(): void }>();
  private readonly latencyHistograms = new Map<string, { observe(value: number): void }>();

  recordProbe(
    mode: ProbeMode,
    module: string,
    prober: string,
    reason: FailureReason | undefined,
  ): void {
    const key = `${mode}\u0000${module}\u0000${prober}`;
    let counter = this.probeCounters.get(key);
    if (!counter) {
      counter = this.probes.labels({ module, prober, mode });
      this.probeCounters.set(key, counter);
    }
    counter.inc();
    if (reason) this.failures.inc({ module, prober, mode, reason });
  }

  observeLayerLatency(layer: string, module: string, seconds: number): void {
    const key = `${layer}\u0000${module}`;
    let histogram = this.latencyHistograms.get(key);
    if (!histogram) {
      histogram = this.layerLatency.labels({ layer, module });
      this.latencyHistograms.set(key, histogram);
    }
    histogram.observe(seconds);
  }
}

/** See `SelfMetrics.scheduledTally`. */
export class ScheduledTally {
  private pending = 0;

  constructor(
    private readonly counter: { inc(value: number): void },
    private readonly histogram: { observe(value: number): void },
    private readonly inFlight: (delta: number) => void,
  ) {}

  started(): void {
    this.inFlight(1);
  }

  ended(): void {
    this.inFlight(-1);
  }

  /** A finished probe: counted at the next collect, its duration observed now. */
  record(seconds: number): void {
    this.pending += 1;
    this.histogram.observe(seconds);
  }

  flush(): void {
    if (this.pending === 0) return;
    this.counter.inc(this.pending);
    this.pending = 0;
  }
}
