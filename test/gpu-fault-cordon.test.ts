/**
 * The loop of #17 item 6 as `make up` runs it, to its last step: an uncorrectable ECC error
 * injected on the simulated GPU node pages P1 through the real Prometheus and Alertmanager,
 * and the page's node is cordoned through remediation's HTTP API (the calls the app's
 * buttons make, grafana-plugin/src/api/remediation.ts) against the simulator's SIMULATED
 * Kubernetes API (no API server runs here): a dry run that changes nothing, then a real one.
 */
import { randomUUID } from 'node:crypto';
import type { RunningSimulator, SimulatedKubernetes } from '@layerwatch/sim';
import { SIMULATED_GPU_NODE } from '@layerwatch/sim';
import type { StackState } from '@layerwatch/stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPagingComposition, waitFor, type PagingComposition } from './support/alerting.js';
import { untilGpuHealthScraped } from './support/gpu-health.js';

let loop: PagingComposition;
let sim: RunningSimulator;
let kube: SimulatedKubernetes;
let remediation: NonNullable<StackState['remediation']>;

beforeAll(async () => {
  loop = await startPagingComposition('gpu-fault-cordon', 'prometheus', {
    intervalSeconds: 1,
    alsoStart: ['remediation'],
  });
  sim = loop.composition.state.sim!;
  kube = sim.kubernetes!;
  remediation = loop.composition.state.remediation!;
  await untilGpuHealthScraped(loop.composition.state.prometheus!.url);
}, 120_000);

afterAll(() => loop?.stop());

/** POST to remediation's action API as the stack's operator, as the app's proxy route does. */
async function action(path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${remediation.url}/api/v1/actions/${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${remediation.tokens.operator}`,
      'content-type': 'application/json',
      ...headers,
    },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('inject → P1 page → cordon from the app, against the simulated Kubernetes API', () => {
  let node: string;
  let confirmationToken: string;

  it('knows the simulated GPU node, schedulable, with its pods', () => {
    expect([...kube.nodes.keys()]).toEqual([SIMULATED_GPU_NODE]);
    expect(kube.nodes.get(SIMULATED_GPU_NODE)).toMatchObject({ unschedulable: false });
  });

  it('pages P1 for an uncorrectable ECC error, naming the simulated node', async () => {
    const injected = await fetch(`${sim.services.agent.url}/-/gpu`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ gpu: 0, mode: 'ecc-uncorrectable' }),
    });
    expect(injected.status).toBe(200);
    const page = await waitFor(
      'LayerwatchGpuEccUncorrectableErrors firing',
      () =>
        loop.receiver
          .alerts()
          .find(
            (a) =>
              a.status === 'firing' &&
              a.labels['alertname'] === 'LayerwatchGpuEccUncorrectableErrors',
          ),
      45_000,
    );
    expect(page.labels).toMatchObject({ priority: 'P1', node: SIMULATED_GPU_NODE });
    // The app offers the page's `layerwatch_actions` as buttons, their `node` param from its label.
    expect(page.annotations['layerwatch_actions']?.split(',')).toContain('cordon-gpu-node');
    node = page.labels['node']!;
  }, 60_000);

  it("dry-runs cordon-gpu-node on the page's node: a server-side dry run, still schedulable", async () => {
    kube.calls.length = 0;
    const dry = await action('cordon-gpu-node/dry-run', { params: { node } });
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(dry.body['target']).toBe(`node ${node}`);
    expect((dry.body['plan'] as { summary: string }).summary).toContain(
      `Cordon node ${node}: no new pods are scheduled on it`,
    );
    expect(kube.calls.map((c) => [c.method, c.path, c.query.includes('dryRun=All')])).toEqual([
      ['GET', `/api/v1/nodes/${node}`, false],
      ['PATCH', `/api/v1/nodes/${node}`, true],
    ]);
    expect(kube.nodes.get(node)?.unschedulable).toBe(false);
    confirmationToken = (dry.body['confirmation'] as { token: string }).token;
  }, 30_000);

  it('cordons the node for real with the confirmation: unschedulable, its pods still there', async () => {
    const run = await action(
      'cordon-gpu-node/execute',
      { params: { node }, confirmationToken },
      { 'Idempotency-Key': randomUUID() },
    );
    expect(run.status, JSON.stringify(run.body)).toBe(200);
    expect(run.body['result']).toMatchObject({ node, from: false, to: true, changed: true });
    expect(kube.nodes.get(node)?.unschedulable).toBe(true);
    expect(kube.nodes.get(node)?.pods).toHaveLength(3);
  }, 30_000);
});
