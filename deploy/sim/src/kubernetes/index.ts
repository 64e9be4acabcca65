export {
  addAgentDeployment,
  startSimulatedKubernetes,
  type KubernetesCall,
  type SimulatedKubernetes,
  type SimulatedKubernetesOptions,
} from './api.js';
export type { SimulatedNode, SimulatedPod } from './nodes.js';
export type { SimulatedDeployment } from './workloads.js';
export { simulatedGpuNodePods, startSimulatedGpuCluster } from './gpu-node-cluster.js';
