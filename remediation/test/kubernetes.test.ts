import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRemediation } from '../src/server.js';
import {
  addAgentDeployment,
  startSimulatedKubernetes,
  type SimulatedKubernetes,
} from '@layerwatch/sim';
import { actionsAs, baseConfig, startService, tempDir } from './support/service.js';

describe('Kubernetes executor against the simulated Kubernetes API', () => {
  let kube: SimulatedKubernetes;
  let service: RunningRemediation;
  const admin = actionsAs('admin', () => service.url);
  const operator = actionsAs('operator', () => service.url);
  let dir: Awaited<ReturnType<typeof tempDir>>;

  beforeAll(async () => {
    dir = await tempDir('kube');
    kube = await startSimulatedKubernetes();
    addAgentDeployment(kube, 4);
    kube.pods.set('layerwatch/agent-7f9c-x1', { app: 'agent', 'pod-template-hash': '7f9c' });
    kube.pods.set('layerwatch/postgres-0', { app: 'postgres' });
    service = await startService(
      baseConfig({ kind: 'sqlite', path: join(dir.dir, 'a.db') }, { kube }),
      kube,
    );
  });
  afterAll(async () => {
    await service?.stop();
    await kube?.stop();
    await dir?.remove();
  });

  const run = async (action: string, params: Record<string, unknown>) => {
    const dry = await admin.dryRun(action, { params });
    if (dry.status !== 200) return dry;
    const token = (dry.body['confirmation'] as { token: string }).token;
    return admin.execute(action, {
      params,
      confirmationToken: token,
    });
  };

  it('restarts with a strategic merge patch of restartedAt, server-side dry run first', async () => {
    kube.calls.length = 0;
    const res = await run('restart-deployment', { deployment: 'layer4-agent' });
    expect(res.body['status']).toBe('succeeded');
    const patches = kube.calls.filter((c) => c.method === 'PATCH');
    expect(patches.map((c) => [c.path, c.query.includes('dryRun=All'), c.contentType])).toEqual([
      [
        '/apis/apps/v1/namespaces/layerwatch/deployments/agent',
        true,
        'application/strategic-merge-patch+json',
      ],
      [
        '/apis/apps/v1/namespaces/layerwatch/deployments/agent',
        false,
        'application/strategic-merge-patch+json',
      ],
    ]);
    expect(patches[1]?.query).toContain('fieldManager=layerwatch-remediation');
    const body = patches[1]?.body as {
      spec: { template: { metadata: { annotations: Record<string, string> } } };
    };
    expect(Object.keys(body.spec.template.metadata.annotations)).toEqual([
      'kubectl.kubernetes.io/restartedAt',
    ]);
    expect(kube.deployments.get('layerwatch/agent')?.generation).toBe(5);
  });

  it('scales through the scale subresource with a merge patch, within bounds', async () => {
    kube.calls.length = 0;
    const dry = await operator.dryRun('scale-deployment', {
      params: { deployment: 'layer4-agent', replicas: 4 },
    });
    expect(dry.body['plan']).toEqual({
      summary: 'Scale deployment layerwatch/agent from 2 to 4 replicas',
      changes: [{ kind: 'replicas', target: 'deployment layerwatch/agent', from: 2, to: 4 }],
    });
    expect(kube.deployments.get('layerwatch/agent')?.replicas).toBe(2);
    const res = await run('scale-deployment', { deployment: 'layer4-agent', replicas: 4 });
    expect(res.body['result']).toEqual({ from: 2, to: 4 });
    const patch = kube.calls.filter((c) => c.method === 'PATCH').at(-1);
    expect([patch?.path, patch?.contentType, patch?.body]).toEqual([
      '/apis/apps/v1/namespaces/layerwatch/deployments/agent/scale',
      'application/merge-patch+json',
      { spec: { replicas: 4 } },
    ]);
  });

  it("deletes a pod only when the deployment's selector selects it", async () => {
    const foreign = await admin.dryRun('delete-pod', {
      params: { deployment: 'layer4-agent', pod: 'postgres-0' },
    });
    expect(foreign.status).toBe(422);
    expect(foreign.body['error']).toBe(
      'dry run of "delete-pod" failed: pod "postgres-0" does not belong to deployment "layer4-agent" (its selector does not match the pod\'s labels)',
    );
    expect(kube.pods.has('layerwatch/postgres-0')).toBe(true);
    const missing = await admin.dryRun('delete-pod', {
      params: { deployment: 'layer4-agent', pod: 'agent-nope' },
    });
    expect(missing.body['error']).toBe(
      'dry run of "delete-pod" failed: Kubernetes API answered 404: pods "agent-nope" not found',
    );
    const ok = await run('delete-pod', { deployment: 'layer4-agent', pod: 'agent-7f9c-x1' });
    expect(ok.body['status']).toBe('succeeded');
    expect(kube.pods.has('layerwatch/agent-7f9c-x1')).toBe(false);
    const deletes = kube.calls
      .filter((c) => c.method === 'DELETE')
      .map((c) => c.query.includes('dryRun=All'));
    expect(deletes).toEqual([true, false]);
  });

  it('never touches a deployment outside the registry', async () => {
    const res = await admin.dryRun('restart-deployment', {
      params: { deployment: 'kube-system/coredns' },
    });
    expect(res.status).toBe(400);
    expect(res.body['details']).toEqual([
      {
        path: 'params.deployment',
        message: 'Invalid option: expected one of "layer4-agent"|"layer7-evolution"',
      },
    ]);
  });
});
