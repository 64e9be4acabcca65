import { setTimeout as sleep } from 'node:timers/promises';
import type { V1Pod } from '@kubernetes/client-node';
import { apiAnswer, describeKubeError } from './kube-errors.js';

/** A pod a drain evicts. `controller` is its controlling owner (`ReplicaSet/x`), if any. */
export interface PodToEvict {
  readonly namespace: string;
  readonly name: string;
  readonly phase: string | null;
  readonly controller: string | null;
}

/** A pod a drain leaves where it is, and why. */
export interface KeptPod {
  readonly pod: string;
  readonly reason: string;
}

/**
 * evicted: the API accepted the eviction (the pod terminates within its grace period);
 * gone: it no longer existed; blocked: a PodDisruptionBudget (429) refused it every try;
 * failed: another answer, or none in time; not-attempted: the time ran out first.
 */
export type PodOutcome = 'evicted' | 'gone' | 'blocked' | 'failed' | 'not-attempted';

export interface PodResult {
  readonly pod: string;
  outcome: PodOutcome;
  attempts: number;
  reason?: string;
}

const MIRROR = 'kubernetes.io/config.mirror';

export const podKey = (p: { namespace: string; name: string }) => `${p.namespace}/${p.name}`;

/**
 * Which of a node's pods a drain evicts, as `kubectl drain --ignore-daemonsets` does: every
 * pod but mirror (static) pods, which the kubelet owns, and DaemonSet pods, which their
 * DaemonSet would start again on the cordoned node.
 */
export function classify(pods: readonly V1Pod[]): { evict: PodToEvict[]; kept: KeptPod[] } {
  const evict: PodToEvict[] = [];
  const kept: KeptPod[] = [];
  for (const pod of pods) {
    const namespace = pod.metadata?.namespace ?? '';
    const name = pod.metadata?.name ?? '';
    const owner = pod.metadata?.ownerReferences?.find((o) => o.controller === true);
    if (pod.metadata?.annotations?.[MIRROR] !== undefined) {
      kept.push({ pod: podKey({ namespace, name }), reason: 'mirror pod (the kubelet runs it)' });
    } else if (owner?.kind === 'DaemonSet') {
      kept.push({
        pod: podKey({ namespace, name }),
        reason: `DaemonSet pod (DaemonSet ${owner.name} would start it again)`,
      });
    } else {
      const controller = owner ? `${owner.kind}/${owner.name}` : null;
      evict.push({ namespace, name, phase: pod.status?.phase ?? null, controller });
    }
  }
  return { evict, kept };
}

export interface EvictOptions {
  /** Tries per pod while a PodDisruptionBudget refuses it. */
  readonly attempts: number;
  readonly retrySeconds: number;
  /** Aborted: stop; the pods left are not attempted. */
  readonly signal: AbortSignal;
  readonly evict: (pod: PodToEvict) => Promise<void>;
}

/**
 * Evicts the pods one by one. Those a PodDisruptionBudget protects (429) are tried again,
 * `retrySeconds` apart, `attempts` times in all, then reported blocked: never retried for
 * ever, never deleted past their budget.
 */
export async function evictAll(
  pods: readonly PodToEvict[],
  options: EvictOptions,
): Promise<PodResult[]> {
  const results = new Map<string, PodResult>(
    pods.map((p) => [podKey(p), { pod: podKey(p), outcome: 'not-attempted', attempts: 0 }]),
  );
  let pending = [...pods];
  for (let attempt = 1; attempt <= options.attempts && pending.length > 0; attempt++) {
    if (attempt > 1 && !(await pause(options.retrySeconds, options.signal))) break;
    const blocked: PodToEvict[] = [];
    for (const pod of pending) {
      if (options.signal.aborted) break;
      const result = results.get(podKey(pod)) as PodResult;
      const { outcome, reason } = await evictOne(pod, options);
      Object.assign(result, { outcome, attempts: attempt }, reason ? { reason } : {});
      if (outcome === 'blocked') blocked.push(pod);
    }
    pending = blocked;
  }
  return [...results.values()];
}

async function evictOne(
  pod: PodToEvict,
  options: EvictOptions,
): Promise<{ outcome: PodOutcome; reason?: string }> {
  try {
    await options.evict(pod);
    return { outcome: 'evicted' };
  } catch (error) {
    if (options.signal.aborted) {
      return {
        outcome: 'failed',
        reason: "no answer within the action's time limit: check whether the pod is terminating",
      };
    }
    const answer = apiAnswer(error);
    if (answer?.code === 429) {
      return { outcome: 'blocked', reason: answer.message || 'the API server answered 429' };
    }
    if (answer?.code === 404) return { outcome: 'gone', reason: 'the pod no longer exists' };
    return { outcome: 'failed', reason: describeKubeError(error) };
  }
}

/** Waits, unless the signal aborts first: false then. */
async function pause(seconds: number, signal: AbortSignal): Promise<boolean> {
  try {
    await sleep(seconds * 1000, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

/** A drain's answer: the cordon, the count per outcome and every pod's outcome. */
export interface DrainReport {
  readonly node: string;
  readonly unschedulable: { readonly from: boolean; readonly to: boolean };
  readonly complete: boolean;
  readonly evicted: number;
  readonly blocked: number;
  readonly failed: number;
  readonly notAttempted: number;
  readonly pods: readonly PodResult[];
  readonly kept: readonly KeptPod[];
}

export function drainReport(
  node: string,
  unschedulable: DrainReport['unschedulable'],
  pods: readonly PodResult[],
  kept: readonly KeptPod[],
): DrainReport {
  const count = (...outcomes: PodOutcome[]) =>
    pods.filter((p) => outcomes.includes(p.outcome)).length;
  return {
    node,
    unschedulable,
    complete: count('evicted', 'gone') === pods.length,
    evicted: count('evicted', 'gone'),
    blocked: count('blocked'),
    failed: count('failed'),
    notAttempted: count('not-attempted'),
    pods,
    kept,
  };
}

/** The sentence of a drain that left pods behind: how many, which, and what to do. */
export function partialDrainMessage(report: DrainReport, attempts: number): string {
  const names = (outcome: PodOutcome) => {
    const pods = report.pods.filter((p) => p.outcome === outcome).map((p) => p.pod);
    return pods.slice(0, 5).join(', ') + (pods.length > 5 ? `, … (${pods.length - 5} more)` : '');
  };
  const parts = [
    `${report.evicted} of ${report.pods.length} pods evicted`,
    report.blocked > 0 &&
      `${report.blocked} refused by a PodDisruptionBudget after ${attempts} attempts (${names('blocked')})`,
    report.failed > 0 && `${report.failed} failed (${names('failed')})`,
    report.notAttempted > 0 &&
      `${report.notAttempted} not attempted: the action's time limit ran out (${names('not-attempted')})`,
  ].filter((p): p is string => typeof p === 'string');
  return `drain of node ${report.node} is partial: ${parts.join('; ')}. The node stays cordoned; drain again once the budgets allow (kubectl uncordon ${report.node} undoes the cordon)`;
}
