import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../src/audit/types.js';
import { replicaId } from '../src/replica.js';
import type { SimulatedPod } from '@layerwatch/sim';
import { confirmed, gpuNodeService } from './support/gpu-nodes.js';
import { api } from './support/service.js';

/** gpu-node-2's pods: three to evict, one behind a PodDisruptionBudget, two a drain keeps. */
function gpuNode2Pods(): SimulatedPod[] {
  return [
    { namespace: 'ml', name: 'trainer-0', owner: { kind: 'Job', name: 'trainer' } },
    {
      namespace: 'ml',
      name: 'notebook-7f9c-x1',
      owner: { kind: 'ReplicaSet', name: 'notebook-7f9c' },
    },
    { namespace: 'ml', name: 'scratch', phase: 'Succeeded' },
    {
      namespace: 'ml',
      name: 'serving-0',
      owner: { kind: 'StatefulSet', name: 'serving' },
      pdbBlocks: true,
    },
    {
      namespace: 'kube-system',
      name: 'nvidia-device-plugin-abcde',
      owner: { kind: 'DaemonSet', name: 'nvidia-device-plugin' },
    },
    { namespace: 'kube-system', name: 'kube-proxy-gpu-node-2', mirror: true },
  ];
}

describe('drain-gpu-node against the simulated Kubernetes API (mock API server)', () => {
  const env = gpuNodeService('gpu-drain');
  const { admin } = env;
  beforeAll(() => {
    env.kube.nodes.set('gpu-node-2', { unschedulable: false, pods: gpuNode2Pods() });
  });

  it('dry-runs a drain: the cordon, each pod it would evict (a budget refusing one now), the pods it keeps', async () => {
    env.kube.calls.length = 0;
    const dry = await admin.dryRun('drain-gpu-node', { params: { node: 'gpu-node-2' } });
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(dry.body['plan']).toEqual({
      summary:
        'Drain node gpu-node-2: cordon it (server-side dry run accepted), then evict 4 pods through the Eviction API, PodDisruptionBudgets respected; 1 refused right now (a PodDisruptionBudget or another answer: see each pod); 2 kept (DaemonSet and mirror pods)',
      changes: [
        { kind: 'unschedulable', target: 'node gpu-node-2', from: false, to: true },
        {
          kind: 'eviction',
          target: 'pod ml/trainer-0',
          from: 'Running',
          to: 'evicted (Job/trainer starts a replacement elsewhere)',
        },
        {
          kind: 'eviction',
          target: 'pod ml/notebook-7f9c-x1',
          from: 'Running',
          to: 'evicted (ReplicaSet/notebook-7f9c starts a replacement elsewhere)',
        },
        {
          kind: 'eviction',
          target: 'pod ml/scratch',
          from: 'Succeeded',
          to: 'evicted (no controller: nothing starts it again)',
        },
        {
          kind: 'eviction',
          target: 'pod ml/serving-0',
          from: 'Running',
          to: "blocked now: Cannot evict pod as it would violate the pod's disruption budget.",
        },
        {
          kind: 'kept',
          target: 'pod kube-system/nvidia-device-plugin-abcde',
          to: 'DaemonSet pod (DaemonSet nvidia-device-plugin would start it again)',
        },
        {
          kind: 'kept',
          target: 'pod kube-system/kube-proxy-gpu-node-2',
          to: 'mirror pod (the kubelet runs it)',
        },
      ],
    });
    expect(env.kube.nodes.get('gpu-node-2')?.unschedulable).toBe(false);
    expect(env.kube.nodes.get('gpu-node-2')?.pods).toHaveLength(6);
    const writes = env.kube.calls.filter((c) => c.method !== 'GET');
    expect(writes.every((c) => c.query.includes('dryRun=All'))).toBe(true);
    expect(env.kube.calls.find((c) => c.method === 'GET' && c.path === '/api/v1/pods')?.query).toBe(
      '?fieldSelector=spec.nodeName%3Dgpu-node-2&limit=1000',
    );
  });

  it('drains: cordons, evicts all but DaemonSet and mirror pods, reports the budget-protected pod as a partial result after 3 tries', async () => {
    env.kube.calls.length = 0;
    const res = await confirmed(admin, 'drain-gpu-node', 'gpu-node-2');
    expect(res.status).toBe(200);
    expect(res.body['status']).toBe('failed');
    expect(res.body['error']).toBe(
      'drain of node gpu-node-2 is partial: 3 of 4 pods evicted; 1 refused by a PodDisruptionBudget after 3 attempts (ml/serving-0). The node stays cordoned; drain again once the budgets allow (kubectl uncordon gpu-node-2 undoes the cordon)',
    );
    const evicted = { outcome: 'evicted', attempts: 1 };
    expect(res.body['result']).toEqual({
      node: 'gpu-node-2',
      unschedulable: { from: false, to: true },
      complete: false,
      evicted: 3,
      blocked: 1,
      failed: 0,
      notAttempted: 0,
      pods: [
        { pod: 'ml/trainer-0', ...evicted },
        { pod: 'ml/notebook-7f9c-x1', ...evicted },
        { pod: 'ml/scratch', ...evicted },
        {
          pod: 'ml/serving-0',
          outcome: 'blocked',
          attempts: 3,
          reason: "Cannot evict pod as it would violate the pod's disruption budget.",
        },
      ],
      kept: [
        {
          pod: 'kube-system/nvidia-device-plugin-abcde',
          reason: 'DaemonSet pod (DaemonSet nvidia-device-plugin would start it again)',
        },
        { pod: 'kube-system/kube-proxy-gpu-node-2', reason: 'mirror pod (the kubelet runs it)' },
      ],
    });
    expect(env.kube.nodes.get('gpu-node-2')?.unschedulable).toBe(true);
    expect(env.kube.nodes.get('gpu-node-2')?.pods.map((p) => p.name)).toEqual([
      'serving-0',
      'nvidia-device-plugin-abcde',
      'kube-proxy-gpu-node-2',
    ]);
    // After the dry run's one eviction per pod (dryRun=All), the real ones.
    const evictions = env.kube.calls.filter(
      (c) => c.path.endsWith('/eviction') && !c.query.includes('dryRun'),
    );
    expect(evictions.map((c) => c.path.split('/')[6])).toEqual([
      'trainer-0',
      'notebook-7f9c-x1',
      'scratch',
      'serving-0',
      'serving-0',
      'serving-0',
    ]);
    expect(evictions[0]?.body).toEqual({
      apiVersion: 'policy/v1',
      kind: 'Eviction',
      metadata: { name: 'trainer-0', namespace: 'ml' },
    });
    // Never a delete: nothing bypasses the budget.
    expect(env.kube.calls.filter((c) => c.method === 'DELETE')).toEqual([]);
  });

  it('drains the rest once the budget allows, the node already cordoned', async () => {
    const serving = env.kube.nodes.get('gpu-node-2')?.pods.find((p) => p.name === 'serving-0');
    if (serving) serving.pdbBlocks = false;
    env.kube.calls.length = 0;
    const res = await confirmed(admin, 'drain-gpu-node', 'gpu-node-2');
    expect(res.body['status']).toBe('succeeded');
    expect(res.body['result']).toMatchObject({
      unschedulable: { from: true, to: true },
      complete: true,
      evicted: 1,
      pods: [{ pod: 'ml/serving-0', outcome: 'evicted', attempts: 1 }],
    });
    expect(env.kube.calls.filter((c) => c.method === 'PATCH')).toEqual([]);
  });

  it('writes the intent before and the outcome after each drain, with the per-pod result', async () => {
    const audit = await api(
      env.url(),
      'viewer',
      'GET',
      '/api/v1/audit?action=drain-gpu-node&limit=50',
    );
    const records = (audit.body['records'] as AuditRecord[]).filter((r) => r.mode === 'execute');
    const byExecution = new Map<string, AuditRecord[]>();
    for (const r of records) {
      if (r.executionId)
        byExecution.set(r.executionId, [...(byExecution.get(r.executionId) ?? []), r]);
    }
    const pairs = [...byExecution.values()].map((rs) => rs.map((r) => r.outcome).reverse());
    expect(pairs).toEqual([
      ['intent', 'succeeded'],
      ['intent', 'failed'],
    ]);
    const failed = records.find((r) => r.outcome === 'failed');
    expect(failed?.actor).toBe('admin');
    expect(failed?.params).toEqual({ node: 'gpu-node-2' });
    expect((failed?.result as { blocked: number }).blocked).toBe(1);
    // The intent names its owner: this service, with no replica.id configured.
    expect(records.find((r) => r.outcome === 'intent')?.result).toEqual({
      target: 'node gpu-node-2',
      replica: replicaId({ leaseSeconds: 30 }),
    });
  });
});

describe('drain-gpu-node bounds against the simulated Kubernetes API (mock API server)', () => {
  const env = gpuNodeService('gpu-drain-bounds', (input) => ({
    ...input,
    limits: { actionTimeoutSeconds: 1 },
    kubernetes: { ...input.kubernetes, drain: { maxPods: 3, retrySeconds: 0.05 } },
  }));
  const { admin } = env;
  const pod = (name: string, extra: Partial<SimulatedPod> = {}): SimulatedPod => ({
    namespace: 'ml',
    name,
    owner: { kind: 'Job', name },
    ...extra,
  });

  it('refuses a node with more pods to evict than drain.maxPods, before cordoning it', async () => {
    env.kube.nodes.set('gpu-node-3', {
      unschedulable: false,
      pods: [pod('a'), pod('b'), pod('c')],
    });
    const dry = await admin.dryRun('drain-gpu-node', { params: { node: 'gpu-node-3' } });
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    env.kube.nodes.get('gpu-node-3')?.pods.push(pod('d'));
    env.kube.calls.length = 0;
    const token = (dry.body['confirmation'] as { token: string }).token;
    const res = await admin.execute('drain-gpu-node', {
      params: { node: 'gpu-node-3' },
      confirmationToken: token,
    });
    expect(res.body['status']).toBe('failed');
    expect(res.body['error']).toBe(
      'node gpu-node-3 has 4 pods to evict, more than kubernetes.drain.maxPods (3): raise the bound or drain it with kubectl',
    );
    expect(env.kube.nodes.get('gpu-node-3')?.unschedulable).toBe(false);
    expect(env.kube.calls.filter((c) => c.method !== 'GET')).toEqual([]);
    const again = await admin.dryRun('drain-gpu-node', { params: { node: 'gpu-node-3' } });
    expect(again.status).toBe(422);
    expect(again.body['error']).toBe(
      'dry run of "drain-gpu-node" failed: node gpu-node-3 has 4 pods to evict, more than kubernetes.drain.maxPods (3): raise the bound or drain it with kubectl',
    );
  });

  it("stops at the action's time limit and reports the pods it did not reach", async () => {
    env.kube.nodes.set('gpu-node-3', {
      unschedulable: false,
      pods: [pod('a'), pod('stuck', { hang: true }), pod('c')],
    });
    const started = performance.now();
    const dry = await admin.dryRun('drain-gpu-node', { params: { node: 'gpu-node-3' } });
    const token = (dry.body['confirmation'] as { token: string }).token;
    const res = await admin.execute('drain-gpu-node', {
      params: { node: 'gpu-node-3' },
      confirmationToken: token,
    });
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(res.body['status']).toBe('failed');
    expect(res.body['error']).toBe(
      "drain of node gpu-node-3 is partial: 1 of 3 pods evicted; 1 failed (ml/stuck); 1 not attempted: the action's time limit ran out (ml/c). The node stays cordoned; drain again once the budgets allow (kubectl uncordon gpu-node-3 undoes the cordon)",
    );
    expect((res.body['result'] as { pods: unknown }).pods).toEqual([
      { pod: 'ml/a', outcome: 'evicted', attempts: 1 },
      {
        pod: 'ml/stuck',
        outcome: 'failed',
        attempts: 1,
        reason: "no answer within the action's time limit: check whether the pod is terminating",
      },
      { pod: 'ml/c', outcome: 'not-attempted', attempts: 0 },
    ]);
    expect(env.kube.nodes.get('gpu-node-3')?.unschedulable).toBe(true);
  });
});
