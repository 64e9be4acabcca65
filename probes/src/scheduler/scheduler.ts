import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import type { LoadedConfig, ScheduledTarget } from '../config/prepare.js';
import type { SelfMetrics } from '../metrics/self-metrics.js';
import type { ProbeRun } from '../probe-run/run-probe.js';
import { inThreadRunner, type ProbeRunner } from './probe-runner.js';
import type { ScheduledResults } from './results.js';
import { LeanSampleList } from './results.js';
import { WorkerProbeRunner } from './worker-runner.js';

/** One call of `probeAll`: resolves when every target it asked for has a result. */
interface Round {
  remaining: number;
  resolve: () => void;
}

/** What the scheduler keeps per target, made once: nothing is allocated per probe here. */
interface TargetState {
  readonly target: ScheduledTarget;
  /** Its place in the config's targets: how a probe worker finds it. */
  readonly index: number;
  /** Reused by every probe of this target (cleared first): the series it last wrote. */
  readonly samples: LeanSampleList;
  /** Counts this target's probes, label children looked up once. */
  readonly tally: ReturnType<SelfMetrics['scheduledTally']>;
  running: boolean;
  /**
   * The round that queued the running probe, and any later rounds that found it running
   * (rare: an array only then, so an idle target holds none).
   */
  round: Round | undefined;
  laterRounds: Round[] | undefined;
  lastSuccess: boolean | undefined;
}

/**
 * Probes the config's targets on their cron schedules (one cron task per distinct schedule,
 * not per target), at most `scheduler.max_concurrent_probes` at once: that many workers pull
 * targets from one queue shared by all rounds. A target whose previous probe still runs is
 * skipped, never queued twice. Logs each target's up/down transitions. The probes themselves
 * run on this thread or, with `scheduler.worker_threads`, in that many worker threads; the
 * results, the series and the logs stay here.
 */
export class Scheduler {
  private readonly tasks: ScheduledTask[] = [];
  private readonly states = new Map<string, TargetState>();
  private readonly queue: TargetState[] = [];
  private head = 0;
  private workers = 0;
  private readonly limit: number;
  private readonly indexes = new Map<string, number>();
  /** Made at the first probe: worker threads start only when there is something to probe. */
  private runner: ProbeRunner | undefined;
  private stopped = false;

  constructor(
    private readonly loaded: LoadedConfig,
    private readonly metrics: SelfMetrics,
    private readonly results: ScheduledResults,
    private readonly logger: Logger,
  ) {
    this.limit = loaded.config.scheduler.max_concurrent_probes;
    loaded.targets.forEach((target, index) => this.indexes.set(target.key, index));
  }

  private startRunner(): ProbeRunner {
    const threads = this.loaded.config.scheduler.worker_threads;
    return threads > 0
      ? new WorkerProbeRunner(this.loaded, threads, this.logger)
      : inThreadRunner();
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
  probeAll(targets: readonly ScheduledTarget[] = this.loaded.targets): Promise<void> {
    let resolve = (): void => undefined;
    const done = new Promise<void>((r) => (resolve = r));
    const round: Round = { remaining: 1, resolve }; // 1 until every target is queued
    let skipped = 0;
    for (const target of targets) {
      if (this.stopped) break;
      const state = this.stateOf(target);
      round.remaining += 1;
      if (state.round === undefined) state.round = round;
      else (state.laterRounds ??= []).push(round);
      if (state.running) {
        skipped += 1;
        continue;
      }
      state.running = true;
      this.queue.push(state);
    }
    if (skipped) this.metrics.rejections.inc({ mode: 'scheduled' }, skipped);
    const spawn = Math.min(this.limit - this.workers, this.queue.length - this.head);
    for (let i = 0; i < spawn; i += 1) {
      this.workers += 1;
      void this.work();
    }
    settle(round);
    return done;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const task of this.tasks) await task.stop();
    this.tasks.length = 0;
    // Queued probes will not run: their rounds resolve without them.
    const dropped = this.queue.splice(this.head);
    this.head = 0;
    this.queue.length = 0;
    for (const state of dropped) this.finish(state);
    await this.runner?.close();
  }

  private stateOf(target: ScheduledTarget): TargetState {
    let state = this.states.get(target.key);
    if (!state) {
      const { module } = target;
      state = {
        target,
        index: this.indexes.get(target.key) ?? -1,
        samples: new LeanSampleList(),
        tally: this.metrics.scheduledTally(module.name, module.prober, target.labels.layer),
        running: false,
        round: undefined,
        laterRounds: undefined,
        lastSuccess: undefined,
      };
      this.states.set(target.key, state);
    }
    return state;
  }

  /**
   * One of at most `limit` loops, each probing one queued target at a time. The probe is
   * inline (one await per probe here), and what follows it synchronous.
   */
  private async work(): Promise<void> {
    try {
      while (!this.stopped && this.head < this.queue.length) {
        const state = this.queue[this.head] as TargetState;
        this.head += 1;
        if (this.head === this.queue.length) {
          this.head = 0;
          this.queue.length = 0;
        }
        try {
          const { target, samples, tally } = state;
          samples.clear();
          tally.started();
          this.runner ??= this.startRunner();
          const run = await this.runner.run(target, state.index, samples);
          tally.ended();
          if (!this.stopped) this.record(state, run);
        } finally {
          this.finish(state);
        }
      }
    } finally {
      this.workers -= 1;
    }
  }

  private finish(state: TargetState): void {
    state.running = false;
    // Its result is recorded: the samples list keeps no series (nor their array) until the
    // next probe, a few hundred bytes per target.
    state.samples.clear();
    const { round, laterRounds } = state;
    state.round = undefined;
    state.laterRounds = undefined;
    if (round) settle(round);
    if (laterRounds) for (const later of laterRounds) settle(later);
  }

  /** A finished probe's result: its series, its counters, its up/down log line. */
  private record(state: TargetState, run: ProbeRun): void {
    const { target, tally } = state;
    const { module } = target;
    tally.record(run.durationSeconds);
    const { success } = run.outcome;
    if (!success)
      this.metrics.recordFailure('scheduled', module.name, module.prober, run.outcome.reason);
    this.results.update(target, success, run.durationSeconds, run.samples);
    if (state.lastSuccess !== success) {
      const fields = { layer: target.labels.layer, target: target.target, module: module.name };
      if (success) this.logger.info(fields, 'target is up');
      else
        this.logger.warn(
          { ...fields, reason: run.outcome.reason, log: run.log.at(-1) },
          'target is down',
        );
      state.lastSuccess = success;
    }
  }
}

function settle(round: Round): void {
  round.remaining -= 1;
  if (round.remaining === 0) round.resolve();
}
