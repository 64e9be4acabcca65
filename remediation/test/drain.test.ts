import { describe, expect, it } from 'vitest';
import {
  classify,
  drainReport,
  evictAll,
  partialDrainMessage,
  type PodToEvict,
} from '../src/actions/drain.js';

/** What the Kubernetes client throws for an answer: its code and the Status body. */
const answered = (code: number, message: string) =>
  Object.assign(new Error(`HTTP-Code: ${code}`), { code, body: JSON.stringify({ message }) });

const pod = (name: string): PodToEvict => ({
  namespace: 'ml',
  name,
  phase: 'Running',
  controller: null,
});

describe('drain: which pods, and what became of each', () => {
  it('keeps mirror and DaemonSet pods; names each evicted pod its controller', () => {
    const { evict, kept } = classify([
      { metadata: { namespace: 'ml', name: 'a', ownerReferences: [ref('Job', 'a', true)] } },
      // An owner that is not the controller does not make a DaemonSet pod.
      { metadata: { namespace: 'ml', name: 'b', ownerReferences: [ref('DaemonSet', 'd', false)] } },
      {
        metadata: {
          namespace: 'kube-system',
          name: 'c',
          annotations: { 'kubernetes.io/config.mirror': 'x' },
        },
      },
      {
        metadata: {
          namespace: 'kube-system',
          name: 'd',
          ownerReferences: [ref('DaemonSet', 'd', true)],
        },
      },
    ]);
    expect(evict.map((p) => [p.name, p.controller])).toEqual([
      ['a', 'Job/a'],
      ['b', null],
    ]);
    expect(kept.map((k) => k.pod)).toEqual(['kube-system/c', 'kube-system/d']);
  });

  it('counts a pod already gone (404) as evicted, another answer as failed, and tries those once', async () => {
    const tries: string[] = [];
    const results = await evictAll([pod('gone'), pod('broken'), pod('ok')], {
      attempts: 3,
      retrySeconds: 0,
      signal: new AbortController().signal,
      evict: (p) => {
        tries.push(p.name);
        if (p.name === 'gone') return Promise.reject(answered(404, 'pods "gone" not found'));
        if (p.name === 'broken') {
          return Promise.reject(answered(500, 'This pod has more than one PodDisruptionBudget'));
        }
        return Promise.resolve();
      },
    });
    expect(tries).toEqual(['gone', 'broken', 'ok']);
    expect(results).toEqual([
      { pod: 'ml/gone', outcome: 'gone', attempts: 1, reason: 'the pod no longer exists' },
      {
        pod: 'ml/broken',
        outcome: 'failed',
        attempts: 1,
        reason: 'Kubernetes API answered 500: This pod has more than one PodDisruptionBudget',
      },
      { pod: 'ml/ok', outcome: 'evicted', attempts: 1 },
    ]);
    const report = drainReport('n', { from: false, to: true }, results, []);
    expect([report.complete, report.evicted, report.failed]).toEqual([false, 2, 1]);
  });

  it('stops retrying a budget-protected pod when the time runs out', async () => {
    const controller = new AbortController();
    const results = await evictAll([pod('protected')], {
      attempts: 5,
      retrySeconds: 60,
      signal: controller.signal,
      evict: () => {
        setTimeout(() => controller.abort(), 10);
        return Promise.reject(answered(429, 'Cannot evict pod'));
      },
    });
    expect(results).toEqual([
      { pod: 'ml/protected', outcome: 'blocked', attempts: 1, reason: 'Cannot evict pod' },
    ]);
  });

  it('names at most five pods per outcome in the partial drain sentence', () => {
    const pods = Array.from({ length: 7 }, (_, i) => ({
      pod: `ml/p${i}`,
      outcome: 'blocked' as const,
      attempts: 3,
    }));
    const report = drainReport('gpu-1', { from: true, to: true }, pods, []);
    expect(partialDrainMessage(report, 3)).toBe(
      'drain of node gpu-1 is partial: 0 of 7 pods evicted; 7 refused by a PodDisruptionBudget after 3 attempts (ml/p0, ml/p1, ml/p2, ml/p3, ml/p4, … (2 more)). The node stays cordoned; drain again once the budgets allow (kubectl uncordon gpu-1 undoes the cordon)',
    );
  });
});

function ref(kind: string, name: string, controller: boolean) {
  return { apiVersion: 'apps/v1', kind, name, uid: 'u', controller };
}
