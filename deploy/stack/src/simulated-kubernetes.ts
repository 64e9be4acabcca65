import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SimulatedKubernetes } from '@layerwatch/sim';
import type { RemediationOptions } from './remediation.js';

/**
 * Remediation's Kubernetes settings for the simulator's SIMULATED Kubernetes API (no API
 * server runs here): its kubeconfig, written to `<dir>/simulated-kubernetes/kubeconfig`
 * (kubectl reads it too), and the nodes it knows as the GPU nodes the node actions may act on.
 */
export async function simulatedKubernetesSettings(
  dir: string,
  kube: SimulatedKubernetes,
): Promise<NonNullable<RemediationOptions['kubernetes']>> {
  const folder = join(dir, 'simulated-kubernetes');
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const kubeconfig = join(folder, 'kubeconfig');
  await writeFile(kubeconfig, kube.kubeconfig(), { mode: 0o600 });
  return { kubeconfig, gpuNodes: [...kube.nodes.keys()] };
}
