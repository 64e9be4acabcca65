import cron, { type ScheduledTask } from 'node-cron';
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import type { LoadedConfig, ScheduledTarget } from '../config/prepare.js';
import { sharedSeries } from '../format/probe-series.js';
import type { SelfMetrics } from '../metrics/self-metrics.js';
import { runProbe } from '../probe-run/run-probe.js';
import type { ScheduledResults } from './results.js';

/**
 * Probes the config's targets on their cron schedules (one cron task per distinct schedule,
 * not per target), at most `scheduler.max_concurrent_probes` at once. A target whose previous
 * probe still runs is skipped, never queued twice. Logs each target's up/down transitions.
 */
export class Scheduler {
  private readonly tasks: ScheduledTask[] = [];
  private readonly running = new Map<string, Promise<void>>();
  private readonly lastSuccess = new Map<string, boolean>();
  private readonly limit;
  private stopped = false;

  constructor(
    private readonly loaded: LoadedConfig,
    private readonly metrics: SelfMetrics,
    private readonly results: ScheduledResults,
    private readonly logger: Logger,
  ) {
    this.limit = pLimit(loaded.config.scheduler.max_concurrent_probes);
  }

  /** Starts the cron tasks and probes every target once right away. */
  start(): void {
    const bySchedule = new Map<string, ScheduledTarget[]>();
    for (const target of this.loaded.targets) {
      bySchedule.set(target.schedule, [...(bySchedule.get(target.schedule) ?? []), target]);
    }
    for (const [schedule, targets] of bySchedule) {
      this.tasks.push(cron.schedule(schedule, () => void this.probeAll(targets)));
    }
    for (const layer of new Set(this.loaded.targets.map((t) => t.labels.layer))) {
      this.metrics.targetsConfigured.set(
        { layer },
        this.loaded.targets.filter((t) => t.labels.layer === layer).length,
      );
    }
    void this.probeAll(this.loaded.targets);
  }

  /**
   * Probes the given targets once (all of them by default); resolves when every one has a
   * result. A target still being probed is not probed again: its running probe counts.
   */
  async probeAll(targets: readonly ScheduledTarget[] = this.loaded.targets): Promise<void> {
    const pending: Promise<void>[] = [];
    for (const target of targets) {
      if (this.stopped) break;
      const running = this.running.get(target.key);
      if (running) {
        this.metrics.rejections.inc({ mode: 'scheduled' });
        pending.push(running);
        continue;
      }
      const probe = this.limit(() => this.probeOne(target)).finally(() =>
        this.running.delete(target.key),
      );
      this.running.set(target.key, probe);
      pending.push(probe);
    }
    await Promise.all(pending);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const task of this.tasks) await task.stop();
    this.tasks.length = 0;
    this.limit.clearQueue();
  }

  private async probeOne(target: ScheduledTarget): Promise<void> {
    if (this.stopped) return;
    const { module } = target;
    this.metrics.inFlight.inc({ mode: 'scheduled' });
    const run = await runProbe(module, target.target, module.timeoutMs, false);
    this.metrics.inFlight.dec({ mode: 'scheduled' });
    if (this.stopped) return;
    const { success } = run.outcome;
    this.metrics.recordProbe(
      'scheduled',
      module.name,
      module.prober,
      success ? undefined : run.outcome.reason,
    );
    this.metrics.observeLayerLatency(target.labels.layer, module.name, run.durationSeconds);
    this.results.update(target, [...sharedSeries(success, run.durationSeconds), ...run.samples]);
    if (this.lastSuccess.get(target.key) !== success) {
      const fields = { layer: target.labels.layer, target: target.target, module: module.name };
      if (success) this.logger.info(fields, 'target is up');
      else
        this.logger.warn(
          { ...fields, reason: run.outcome.reason, log: run.log.at(-1) },
          'target is down',
        );
      this.lastSuccess.set(target.key, success);
    }
  }
}
