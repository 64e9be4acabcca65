import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIMULATED_GPU_NODE } from '../src/index.js';
import { call, send, startTestSim } from './helpers.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'layerwatch-sim-kube-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the simulated Kubernetes API beside the simulated GPU node (no API server here)', () => {
  it('starts only with the simulated GPU node, on loopback, and knows the node schedulable', async () => {
    expect((await startTestSim()).kubernetes).toBeUndefined();
    const sim = await startTestSim({ gpuDir: join(dir, 'a') });
    const kube = sim.kubernetes;
    expect(kube?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const node = await call(`${kube?.url}/api/v1/nodes/${SIMULATED_GPU_NODE}`);
    expect(node.status).toBe(200);
    expect(node.body).toMatchObject({ kind: 'Node', metadata: { name: SIMULATED_GPU_NODE } });
    expect((node.body as { spec: object }).spec).toEqual({});
  });

  it('lists the pods on the node, a DaemonSet pod among them, and honours a dry-run cordon', async () => {
    const sim = await startTestSim({ gpuDir: join(dir, 'b') });
    const url = sim.kubernetes?.url ?? '';
    const pods = await call(`${url}/api/v1/pods?fieldSelector=spec.nodeName=${SIMULATED_GPU_NODE}`);
    const owners = (
      pods.body as { items: { metadata: { ownerReferences: { kind: string }[] } }[] }
    ).items.map((p) => p.metadata.ownerReferences[0]?.kind);
    expect(owners.sort()).toEqual(['DaemonSet', 'Job', 'ReplicaSet']);
    const nodeUrl = `${url}/api/v1/nodes/${SIMULATED_GPU_NODE}`;
    const dry = await send('PATCH', `${nodeUrl}?dryRun=All`, { spec: { unschedulable: true } });
    expect(dry.body).toMatchObject({ spec: { unschedulable: true } });
    expect(sim.kubernetes?.nodes.get(SIMULATED_GPU_NODE)?.unschedulable).toBe(false);
    await send('PATCH', nodeUrl, { spec: { unschedulable: true } });
    expect(sim.kubernetes?.nodes.get(SIMULATED_GPU_NODE)?.unschedulable).toBe(true);
  });

  it('writes a kubeconfig that points at it', async () => {
    const sim = await startTestSim({ gpuDir: join(dir, 'c') });
    const config = JSON.parse(sim.kubernetes?.kubeconfig() ?? '{}') as {
      clusters: { cluster: { server: string } }[];
    };
    expect(config.clusters[0]?.cluster.server).toBe(sim.kubernetes?.url);
  });
});
