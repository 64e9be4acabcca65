export { runProbesCli, defaultConfigPath } from './cli/probes.js';
export { startDaemon, type RunningDaemon, type DaemonOptions } from './server/daemon.js';
export {
  loadProbeConfig,
  loadProbeConfigText,
  type LoadedConfig,
  type PreparedModule,
} from './config/prepare.js';
export { ConfigError, formatProblem, type ConfigProblem } from './config/config-error.js';
export { serializeSamples } from './format/exposition.js';
export { runProbe, type ProbeRun } from './probe-run/run-probe.js';
export { PROBERS, type ProberName } from './prober/registry.js';
export type { ProbeFn, ProbeContext, ProbeOutcome, Prober } from './prober/types.js';
export { FAILURE_REASONS, type FailureReason } from './prober/failure-reason.js';
export { createChecksumCollector } from './collectors/checksums/index.js';
