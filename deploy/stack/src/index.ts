export { runUpCli } from './up.js';
export { startStack, formatUrlTable, type StackOptions } from './stack.js';
export {
  PARTS,
  STACK_PORTS,
  startComposition,
  withNeeds,
  type RunningComposition,
} from './compose.js';
export {
  PART_NAMES,
  type ComposeOptions,
  type PartName,
  type PartSpec,
  type StackPart,
  type StackState,
} from './part.js';
export { startLoop, type LoopOptions, type LoopTokens, type RunningLoop } from './loop.js';
export { HA_TOPOLOGY, type HaOptions } from './ha/topology.js';
export { globalPrometheusDir } from './ha/prometheus-replicas.js';
export { loopTargets, type LoopTarget } from './probe-config.js';
