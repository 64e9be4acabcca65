import { SIMULATED_GPU_NODE } from '../gpu/model.js';
import { startSimulatedKubernetes, type SimulatedKubernetes } from './api.js';
import type { SimulatedPod } from './nodes.js';

/**
 * What runs on the simulated GPU node, as on a GPU node of the platform: the GPU collector
 * (a DaemonSet pod, which a drain keeps), an agent replica and a fine-tuning job (which a
 * drain evicts).
 */
export function simulatedGpuNodePods(): SimulatedPod[] {
  return [
    {
      namespace: 'layerwatch',
      name: 'layerwatch-gpu-collector-s1m7d',
      owner: { kind: 'DaemonSet', name: 'layerwatch-gpu-collector' },
    },
    {
      namespace: 'ai-platform',
      name: 'agent-5c9d7f8b6-s1m4x',
      owner: { kind: 'ReplicaSet', name: 'agent-5c9d7f8b6' },
    },
    {
      namespace: 'ai-platform',
      name: 'finetune-simulated-0-s1mq2',
      owner: { kind: 'Job', name: 'finetune-simulated-0' },
    },
  ];
}

/**
 * The simulated GPU node's cluster: a SIMULATED Kubernetes API (no API server runs here) on
 * a free loopback port that knows the node, schedulable, with its pods, for remediation's
 * node actions to cordon and drain.
 */
export async function startSimulatedGpuCluster(
  log: (line: string) => void,
): Promise<SimulatedKubernetes> {
  // On loopback, whatever the simulator's host: it acts on nodes, only local callers may.
  const kube = await startSimulatedKubernetes();
  kube.nodes.set(SIMULATED_GPU_NODE, { unschedulable: false, pods: simulatedGpuNodePods() });
  log(
    `SIMULATED Kubernetes API at ${kube.url} (no API server here): node ${SIMULATED_GPU_NODE} with ${simulatedGpuNodePods().length} pods`,
  );
  return kube;
}
