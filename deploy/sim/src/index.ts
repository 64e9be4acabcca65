export { startSimulator } from './simulator.js';
export type { RunningSimulator, ServiceEndpoint } from './simulator.js';
export type { SimulatorOptions } from './options.js';
export type { Clock } from './clock.js';
export type { ServiceName } from './services/types.js';
export { DEFAULT_SIM_PORTS, FREE_SIM_PORTS, SERVICE_NAMES } from './services/registry.js';
export { FAULT_MODES, FAULT_DEFAULTS, parseFault } from './fault.js';
export { SCENARIOS, SCENARIO_NAMES, scenariosOf, type ScenarioName } from './scenarios.js';
export type { Fault, FaultMode, FaultSpec } from './fault.js';
export { LOG_LEVELS } from './settings.js';
export type { LogLevel } from './settings.js';
export { ValidationError } from './validate.js';
export { runSimCli, parseSimArgs, SIM_USAGE } from './cli.js';
export type { SimCliIo } from './cli.js';
export { FactoryPipeline, FACTORY_PATHS, type FactoryState } from './factory/index.js';
export {
  GPU_FAULT_MODES,
  SIMULATED_GPU_NODE,
  SIMULATED_GPUS,
  type GpuFaultMode,
  type SimulatedGpuNode,
} from './gpu/index.js';
export {
  addAgentDeployment,
  simulatedGpuNodePods,
  startSimulatedKubernetes,
  type KubernetesCall,
  type SimulatedDeployment,
  type SimulatedKubernetes,
  type SimulatedKubernetesOptions,
  type SimulatedNode,
  type SimulatedPod,
} from './kubernetes/index.js';
