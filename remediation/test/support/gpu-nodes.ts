import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import type { ConfigInput } from '../../src/config/schema.js';
import type { RunningRemediation } from '../../src/server.js';
import { startSimulatedKubernetes, type SimulatedKubernetes } from '@layerwatch/sim';
import {
  actionsAs,
  baseConfig,
  startService,
  tempDir,
  type ActionCall,
  type Answer,
} from './service.js';

/** The node actions without cooldowns: the tests run them on one node several times. */
const NO_COOLDOWN = {
  'cordon-gpu-node': { cooldownSeconds: 0 },
  'drain-gpu-node': { cooldownSeconds: 0 },
};

type Caller = { readonly dryRun: ActionCall; readonly execute: ActionCall };

/**
 * For one test file: the simulated Kubernetes API (no API server runs here) and the service
 * on SQLite, started before its tests and stopped after them. `configure` edits the
 * config (the simulated API's GPU nodes and no cooldowns already in it).
 */
export function gpuNodeService(
  prefix: string,
  configure: (input: ConfigInput) => ConfigInput = (input) => input,
) {
  let kube: SimulatedKubernetes | undefined;
  let service: RunningRemediation | undefined;
  let dir: Awaited<ReturnType<typeof tempDir>> | undefined;
  beforeAll(async () => {
    dir = await tempDir(prefix);
    kube = await startSimulatedKubernetes();
    const store = { kind: 'sqlite' as const, path: join(dir.dir, 'audit.db') };
    service = await startService(
      configure(baseConfig(store, { kube }, { actions: NO_COOLDOWN })),
      kube,
    );
  });
  afterAll(async () => {
    await service?.stop();
    await kube?.stop();
    await dir?.remove();
  });
  const url = () => {
    if (!service) throw new Error('call the service inside a test');
    return service.url;
  };
  return {
    get kube(): SimulatedKubernetes {
      if (!kube) throw new Error('read the simulated API inside a test');
      return kube;
    },
    url,
    admin: actionsAs('admin', url),
    operator: actionsAs('operator', url),
    viewer: actionsAs('viewer', url),
  };
}

/** Dry-run `action` on `node`, then execute it with the dry run's confirmation token. */
export async function confirmed(who: Caller, action: string, node: string): Promise<Answer> {
  const dry = await who.dryRun(action, { params: { node } });
  expect(dry.status, JSON.stringify(dry.body)).toBe(200);
  const token = (dry.body['confirmation'] as { token: string }).token;
  return who.execute(action, { params: { node }, confirmationToken: token });
}
