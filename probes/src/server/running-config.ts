import type { Logger } from 'pino';
import { buildCollectors } from '../collectors/build.js';
import type { Collector } from '../collectors/types.js';
import { loadProbeConfig, type LoadedConfig } from '../config/prepare.js';
import type { SelfMetrics } from '../metrics/self-metrics.js';
import type { ScheduledResults } from '../scheduler/results.js';
import { Scheduler } from '../scheduler/scheduler.js';
import { errorMessage } from '../util/errors.js';

export type ReloadResult = { ok: true } | { ok: false; error: string };

/**
 * The config the daemon runs and the parts built from it, the scheduler and the collectors.
 * A reload swaps all three together; a config that does not load keeps the running ones and
 * shows in `config_last_reload_successful`.
 */
export class RunningConfig {
  private current: LoadedConfig;
  private scheduler: Scheduler;
  private collectors: Collector[];

  constructor(
    private readonly configFile: string,
    private readonly metrics: SelfMetrics,
    private readonly results: ScheduledResults,
    private readonly logger: Logger,
  ) {
    this.current = loadProbeConfig(configFile);
    this.markReloaded();
    this.scheduler = new Scheduler(this.current, metrics, results, logger);
    this.collectors = buildCollectors(this.current.config, configFile, logger);
  }

  get loaded(): LoadedConfig {
    return this.current;
  }

  start(): void {
    if (this.current.config.scheduler.enabled) this.scheduler.start();
    for (const collector of this.collectors) collector.start();
  }

  async reload(): Promise<ReloadResult> {
    let next: LoadedConfig;
    try {
      next = loadProbeConfig(this.configFile);
    } catch (error) {
      this.metrics.reloadSuccessful.set(0);
      this.logger.error(
        { err: errorMessage(error) },
        'config reload failed; keeping the running config',
      );
      return { ok: false, error: errorMessage(error) };
    }
    await this.stop();
    const previous = this.current;
    this.current = next;
    this.results.retain(new Set(next.targets.map((t) => t.key)));
    this.scheduler = new Scheduler(next, this.metrics, this.results, this.logger);
    this.collectors = buildCollectors(next.config, this.configFile, this.logger);
    this.start();
    this.markReloaded();
    this.logger.info(
      { targets: next.targets.length, modules: next.modules.size },
      'config reloaded',
    );
    await previous.close();
    return { ok: true };
  }

  probeAll(): Promise<void> {
    return this.scheduler.probeAll();
  }

  async collectNow(): Promise<void> {
    await Promise.all(this.collectors.map((c) => c.collectNow()));
  }

  /** The collectors' series, appended to `/metrics`. */
  renderCollectors(): string {
    return this.collectors.map((c) => c.render()).join('');
  }

  /** Stops the scheduler and the collectors; `close` then releases the config's clients. */
  async stop(): Promise<void> {
    await this.scheduler.stop();
    await Promise.all(this.collectors.map((c) => c.stop()));
  }

  close(): Promise<void> {
    return this.current.close();
  }

  private markReloaded(): void {
    this.metrics.reloadSuccessful.set(1);
    this.metrics.reloadTimestamp.setToCurrentTime();
  }
}
