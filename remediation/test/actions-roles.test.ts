import type { RunningAlertmanager } from '@layerwatch/local';
import { FREE_SIM_PORTS, type RunningSimulator, startSimulator } from '@layerwatch/sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_DEFAULTS } from '../src/actions/defaults.js';
import { ACTION_NAMES, ROLES, type ActionName } from '../src/config/schema.js';
import type { RunningRemediation } from '../src/server.js';
import { startTestAlertmanager } from './support/alertmanager.js';
import {
  addAgentDeployment,
  startSimulatedKubernetes,
  type SimulatedKubernetes,
} from '@layerwatch/sim';
import { actionsAs, api, baseConfig, startService, tempDir } from './support/service.js';

/** Valid params for every action, against the simulator, its Kubernetes API and Alertmanager. */
const PARAMS: Record<ActionName, Record<string, unknown>> = {
  'restart-deployment': { deployment: 'layer4-agent' },
  'scale-deployment': { deployment: 'layer4-agent', replicas: 3 },
  'delete-pod': { deployment: 'layer4-agent', pod: 'agent-abc12' },
  'cordon-gpu-node': { node: 'gpu-node-1' },
  'drain-gpu-node': { node: 'gpu-node-1' },
  'rollback-evolution': {},
  'set-batching': { batchSize: 64 },
  'debug-logging': { layer: '4', minutes: 5 },
  'maintenance-mode': { enabled: false },
  silence: {
    matchers: [{ name: 'alertname', value: 'LayerwatchLayerDown' }],
    minutes: 30,
    comment: 'ack',
  },
};

describe('every role × action, over real HTTP (SQLite, simulator, Alertmanager, simulated Kubernetes API)', () => {
  let sim: RunningSimulator;
  let am: RunningAlertmanager;
  let kube: SimulatedKubernetes;
  let service: RunningRemediation;
  const admin = actionsAs('admin', () => service.url);
  const operator = actionsAs('operator', () => service.url);
  const anonymous = actionsAs(undefined, () => service.url);
  let dir: Awaited<ReturnType<typeof tempDir>>;

  beforeAll(async () => {
    dir = await tempDir('roles');
    sim = await startSimulator({ ports: FREE_SIM_PORTS });
    am = await startTestAlertmanager(dir.dir);
    kube = await startSimulatedKubernetes();
    addAgentDeployment(kube, 1);
    kube.pods.set('layerwatch/agent-abc12', { app: 'agent' });
    kube.nodes.set('gpu-node-1', { unschedulable: false, pods: [] });
    service = await startService(
      baseConfig(
        { kind: 'sqlite', path: `${dir.dir}/audit.db` },
        { sim, alertmanagerUrl: am.url, kube },
        {
          // No cooldowns here: the matrix runs each action several times.
          actions: Object.fromEntries(ACTION_NAMES.map((n) => [n, { cooldownSeconds: 0 }])),
        },
      ),
      kube,
    );
  });
  afterAll(async () => {
    await service?.stop();
    await Promise.all([sim?.stop(), am?.stop(), kube?.stop()]);
    await dir?.remove();
  });

  it('lists the whole registry with JSON Schemas, marking what each role may run', async () => {
    const { status, body } = await api(service.url, 'viewer', 'GET', '/api/v1/actions');
    expect(status).toBe(200);
    const actions = body['actions'] as {
      name: string;
      allowed: boolean;
      paramsSchema: { type: string };
      deniedReason?: string;
    }[];
    expect(actions.map((a) => a.name).sort()).toEqual([...ACTION_NAMES].sort());
    for (const a of actions) {
      expect(a.paramsSchema.type).toBe('object');
      expect(a.allowed).toBe(false);
      expect(a.deniedReason).toMatch(/needs role/);
    }
  });

  for (const role of ROLES) {
    for (const action of ACTION_NAMES) {
      const allowed = ACTION_DEFAULTS[action].roles.some(
        (r) => ROLES.indexOf(role) >= ROLES.indexOf(r),
      );
      it(`${role} ${allowed ? 'may' : 'may not'} dry-run and execute ${action}`, async () => {
        const asRole = actionsAs(role, () => service.url);
        const dry = await asRole.dryRun(action, { params: PARAMS[action] });
        if (!allowed) {
          expect(dry.status).toBe(403);
          expect(dry.body['reason']).toBe('forbidden_role');
          expect(dry.body['error']).toBe(
            `role ${role} may not run "${action}" (it needs ${ACTION_DEFAULTS[action].roles.join(' or ')})`,
          );
          const exec = await asRole.execute(action, { params: PARAMS[action] });
          expect(exec.status).toBe(403);
          return;
        }
        expect(dry.status, JSON.stringify(dry.body)).toBe(200);
        expect(dry.body['plan']).toHaveProperty('summary');
        const token = (dry.body['confirmation'] as { token: string } | undefined)?.token;
        expect(token !== undefined).toBe(ACTION_DEFAULTS[action].requiresConfirmation);
        const exec = await asRole.execute(
          action,
          {
            params: PARAMS[action],
            ...(token ? { confirmationToken: token } : {}),
          },
          { 'idempotency-key': `${role}-${action}` },
        );
        expect(exec.status, JSON.stringify(exec.body)).toBe(200);
        expect(exec.body['status'], JSON.stringify(exec.body)).toBe('succeeded');
        expect(exec.body['auditId']).toEqual(expect.any(String));
        if (action === 'delete-pod') kube.pods.set('layerwatch/agent-abc12', { app: 'agent' });
      });
    }
  }

  it('refuses callers without a valid token, and records them', async () => {
    const none = await anonymous.execute('set-batching', { params: { batchSize: 2 } });
    expect(none.status).toBe(401);
    expect(none.body).toEqual({
      error: 'no bearer token: send "Authorization: Bearer <token>"',
      reason: 'missing_token',
    });
    const bad = await fetch(`${service.url}/api/v1/actions`, {
      headers: { authorization: 'Bearer nope' },
    });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual({
      error: 'the bearer token is not valid',
      reason: 'invalid_token',
    });
    const audit = await api(
      service.url,
      'viewer',
      'GET',
      '/api/v1/audit?outcome=denied&actor=anonymous&limit=5',
    );
    const reasons = (audit.body['records'] as { reason: string }[]).map((r) => r.reason);
    expect(reasons).toEqual(expect.arrayContaining(['missing_token', 'invalid_token']));
  });

  it('answers 404 for an action outside the registry, naming nothing else', async () => {
    const res = await admin.execute('rm-rf', { params: {} });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      error: 'unknown action "rm-rf": see GET /api/v1/actions',
      reason: 'unknown_action',
      auditId: expect.any(String),
    });
  });

  it('validates params and names the field', async () => {
    const res = await operator.dryRun('scale-deployment', {
      params: { deployment: 'layer4-agent', replicas: 50 },
    });
    expect(res.status).toBe(400);
    expect(res.body['reason']).toBe('invalid_params');
    expect(res.body['details']).toEqual([
      { path: 'params.replicas', message: "50 is outside layer4-agent's bounds 1..6" },
    ]);
    const extra = await operator.dryRun('set-batching', { params: { batchSize: 4, cmd: 'x' } });
    expect(extra.status).toBe(400);
    expect(extra.body['details']).toEqual([{ path: 'params', message: 'Unrecognized key: "cmd"' }]);
  });

  it('caps the body size', async () => {
    const res = await operator.dryRun('set-batching', { params: { pad: 'x'.repeat(70_000) } });
    expect(res.status).toBe(413);
    expect(res.body['reason']).toBe('body_too_large');
  });

  it('really changed the simulator and its Kubernetes API', async () => {
    const batching = (await (
      await fetch(`${sim.services.agent.url}/api/config/batching`)
    ).json()) as { batch_size: number };
    expect(batching.batch_size).toBe(64);
    expect(kube.deployments.get('layerwatch/agent')?.replicas).toBe(3);
    const silences = (await (await fetch(`${am.url}/api/v2/silences`)).json()) as {
      comment: string;
      createdBy: string;
    }[];
    expect(silences.map((s) => s.createdBy)).toEqual(
      expect.arrayContaining(['layerwatch-remediation (operator)']),
    );
  });
});
