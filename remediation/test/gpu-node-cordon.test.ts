import { beforeAll, describe, expect, it } from 'vitest';
import { confirmed, gpuNodeService } from './support/gpu-nodes.js';
import type { Answer } from './support/service.js';

/** An executed cordon of gpu-node-1 succeeded, from `from` to cordoned (changed unless it was). */
function expectCordonOfNode1(answer: Answer, from: boolean, message: string): void {
  expect(answer.body['status']).toBe('succeeded');
  expect(answer.body['result']).toEqual({
    node: 'gpu-node-1',
    from,
    to: true,
    changed: !from,
    message,
  });
}

describe('cordon-gpu-node, and who may run the node actions, against the simulated Kubernetes API (mock API server)', () => {
  const env = gpuNodeService('gpu-cordon');
  const { admin, operator, viewer } = env;
  beforeAll(() => {
    env.kube.nodes.set('gpu-node-1', { unschedulable: false, pods: [] });
    env.kube.nodes.set('gpu-node-2', { unschedulable: false, pods: [] });
  });

  it('dry-runs a cordon: the plan shows the node from schedulable to cordoned, nothing changes', async () => {
    env.kube.calls.length = 0;
    const dry = await operator.dryRun('cordon-gpu-node', { params: { node: 'gpu-node-1' } });
    expect(dry.status).toBe(200);
    expect(dry.body['target']).toBe('node gpu-node-1');
    expect(dry.body['plan']).toEqual({
      summary:
        'Cordon node gpu-node-1: no new pods are scheduled on it, the pods running there stay (server-side dry run accepted)',
      changes: [{ kind: 'unschedulable', target: 'node gpu-node-1', from: false, to: true }],
    });
    expect(dry.body['requiresConfirmation']).toBe(true);
    expect(env.kube.nodes.get('gpu-node-1')?.unschedulable).toBe(false);
    expect(env.kube.calls.map((c) => [c.method, c.path, c.query.includes('dryRun=All')])).toEqual([
      ['GET', '/api/v1/nodes/gpu-node-1', false],
      ['PATCH', '/api/v1/nodes/gpu-node-1', true],
    ]);
  });

  it('needs the confirmation token to cordon', async () => {
    const res = await operator.execute('cordon-gpu-node', { params: { node: 'gpu-node-1' } });
    expect(res.status).toBe(428);
    expect(res.body['reason']).toBe('confirmation_required');
    expect(env.kube.nodes.get('gpu-node-1')?.unschedulable).toBe(false);
  });

  it('cordons with a strategic merge patch of spec.unschedulable, and says so when already cordoned', async () => {
    env.kube.calls.length = 0;
    const first = await confirmed(operator, 'cordon-gpu-node', 'gpu-node-1');
    expectCordonOfNode1(first, false, 'node gpu-node-1 cordoned');
    const patch = env.kube.calls.filter((c) => c.method === 'PATCH').at(-1);
    expect([patch?.query.includes('dryRun'), patch?.contentType, patch?.body]).toEqual([
      false,
      'application/strategic-merge-patch+json',
      { spec: { unschedulable: true } },
    ]);
    expect(patch?.query).toContain('fieldManager=layerwatch-remediation');
    expect(env.kube.nodes.get('gpu-node-1')?.unschedulable).toBe(true);

    env.kube.calls.length = 0;
    const dry = await operator.dryRun('cordon-gpu-node', { params: { node: 'gpu-node-1' } });
    expect((dry.body['plan'] as { summary: string }).summary).toBe(
      'Node gpu-node-1 is already cordoned: nothing changes',
    );
    const again = await confirmed(operator, 'cordon-gpu-node', 'gpu-node-1');
    expectCordonOfNode1(again, true, 'node gpu-node-1 was already cordoned');
    expect(env.kube.calls.filter((c) => c.method === 'PATCH')).toEqual([]);
  });

  it('refuses a node that is not registered, naming the registered ones, without calling the API', async () => {
    env.kube.calls.length = 0;
    const res = await admin.dryRun('drain-gpu-node', { params: { node: 'control-plane-1' } });
    expect(res.status).toBe(400);
    expect(res.body['reason']).toBe('invalid_params');
    expect(res.body['details']).toEqual([
      {
        path: 'params.node',
        message:
          'node "control-plane-1" is not a registered GPU node (kubernetes.gpuNodes: gpu-node-1, gpu-node-2, gpu-node-3)',
      },
    ]);
    expect(env.kube.calls).toEqual([]);
  });

  it('answers hostile params with a 400 naming the field', async () => {
    const cases: [unknown, { path: string; message: string }][] = [
      [
        { node: 'gpu-node-1; kubectl delete node gpu-node-1' },
        {
          path: 'params.node',
          message:
            '"gpu-node-1; kubectl delete node gpu-node-1" is not a Kubernetes node name (DNS-1123: lowercase letters, digits, "-" and ".", starting and ending with a letter or digit)',
        },
      ],
      [
        { node: 'GPU-Node-1' },
        {
          path: 'params.node',
          message:
            '"GPU-Node-1" is not a Kubernetes node name (DNS-1123: lowercase letters, digits, "-" and ".", starting and ending with a letter or digit)',
        },
      ],
      [
        { node: 'a'.repeat(254) },
        { path: 'params.node', message: 'a Kubernetes node name has at most 253 characters' },
      ],
      [
        { node: 7 },
        { path: 'params.node', message: 'Invalid input: expected string, received number' },
      ],
      [
        { node: 'gpu-node-1', force: true },
        { path: 'params', message: 'Unrecognized key: "force"' },
      ],
    ];
    for (const [params, detail] of cases) {
      for (const action of ['cordon-gpu-node', 'drain-gpu-node']) {
        const res = await admin.dryRun(action, { params });
        expect(res.status, JSON.stringify(params)).toBe(400);
        expect(res.body['details']).toEqual([detail]);
      }
    }
  });

  it('lets only an admin drain; a viewer may not cordon either', async () => {
    for (const [who, role] of [
      [viewer, 'viewer'],
      [operator, 'operator'],
    ] as const) {
      const res = await who.dryRun('drain-gpu-node', { params: { node: 'gpu-node-2' } });
      expect(res.status).toBe(403);
      expect(res.body['error']).toBe(`role ${role} may not run "drain-gpu-node" (it needs admin)`);
      const exec = await who.execute('drain-gpu-node', { params: { node: 'gpu-node-2' } });
      expect(exec.status).toBe(403);
    }
    const cordon = await viewer.dryRun('cordon-gpu-node', { params: { node: 'gpu-node-2' } });
    expect(cordon.body['error']).toBe(
      'role viewer may not run "cordon-gpu-node" (it needs operator or admin)',
    );
    expect(env.kube.nodes.get('gpu-node-2')?.unschedulable).toBe(false);
  });
});
