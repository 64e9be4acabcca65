import type { RunningAlertmanager, RunningPrometheus } from '@layerwatch/local';
import type { RunningDaemon } from '@layerwatch/probes';
import type { RunningRemediation } from '@layerwatch/remediation';
import type { RunningSimulator } from '@layerwatch/sim';
import { startComposition } from './compose.js';
import { need, type ComposeOptions } from './part.js';

export type LoopOptions = Pick<
  ComposeOptions,
  'dir' | 'rules' | 'autoRemediation' | 'intervalSeconds' | 'latencyJitterMs' | 'log'
>;

export interface LoopTokens {
  readonly admin: string;
  readonly operator: string;
  readonly viewer: string;
  readonly alertmanager: string;
}

/** Every part of the closed loop, running on free loopback ports. */
export interface RunningLoop {
  readonly sim: RunningSimulator;
  readonly daemon: RunningDaemon;
  readonly remediation: RunningRemediation;
  readonly alertmanager: RunningAlertmanager;
  readonly prometheus: RunningPrometheus;
  readonly tokens: LoopTokens;
  /** Where the demo factory writes its exports, ledger and readiness file. */
  readonly factoryRoot: string;
  /** Stops everything it started, in reverse order; safe to call twice. */
  stop(): Promise<void>;
}

/**
 * The closed loop of `make up`, composed from the same parts without the preview host, on
 * free ports with short intervals (1 s by default), for the end-to-end test and the soak.
 */
export async function startLoop(options: LoopOptions): Promise<RunningLoop> {
  const running = await startComposition(['prometheus'], {
    ...options,
    intervalSeconds: options.intervalSeconds ?? 1,
    ports: 'free',
    logLevel: 'silent',
  });
  const { state } = running;
  const remediation = need(state, 'remediation', 'prometheus');
  if (remediation.running === undefined) throw new Error('the loop runs remediation in-process');
  return {
    sim: need(state, 'sim', 'prometheus'),
    daemon: need(state, 'probes', 'prometheus'),
    remediation: remediation.running,
    alertmanager: need(state, 'alertmanager', 'prometheus'),
    prometheus: need(state, 'prometheus', 'prometheus'),
    tokens: remediation.tokens,
    factoryRoot: running.factoryRoot,
    stop: running.stop,
  };
}
