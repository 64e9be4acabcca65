import { z } from 'zod/v4';
import type { HttpConfig } from '../config/schema.js';
import { ACTION_DEFAULTS } from './defaults.js';
import { callJson } from './http-client.js';
import { ActionError, type ActionDefinition, type Plan } from './types.js';

type Service = HttpConfig['services'][number];
type Call = (
  m: 'GET' | 'PUT' | 'POST',
  s: Service,
  path: string,
  body: unknown,
  signal: AbortSignal,
) => Promise<Record<string, unknown>>;

/** rollback-evolution, set-batching, debug-logging and maintenance-mode on the layer services. */
export function httpActions(config: HttpConfig): ActionDefinition[] {
  const byName = new Map(config.services.map((s) => [s.name, s]));
  const t = config.timeoutSeconds;
  const call: Call = (m, s, path, body, signal) =>
    callJson(m, new URL(path, s.url).href, body, signal, t) as Promise<Record<string, unknown>>;
  const service = (name: string): Service => {
    const found = byName.get(name);
    if (!found) throw new ActionError(`service "${name}" is not configured under http.services`);
    return found;
  };
  const actions: ActionDefinition[] = [];
  if (byName.has(config.evolutionService)) {
    actions.push(rollbackEvolution(call, service(config.evolutionService)));
  }
  if (byName.has(config.batchingService)) {
    actions.push(setBatching(call, service(config.batchingService)));
  }
  actions.push(debugLogging(call, config.services));
  actions.push(maintenanceMode(call, config.services));
  return actions;
}

/** rollback-evolution: roll the evolution service back one generation, or to a given one. */
function rollbackEvolution(call: Call, evo: Service): ActionDefinition {
  return {
    ...ACTION_DEFAULTS['rollback-evolution'],
    name: 'rollback-evolution',
    params: z
      .object({ generation: z.number().int().min(0).optional().describe('default: one back') })
      .strict(),
    target: () => `layer ${evo.layer} ${evo.name}`,
    async plan(p: { generation?: number | undefined }, signal) {
      return planRollback(evo, p.generation, await readGeneration(call, evo, signal));
    },
    execute: (p: { generation?: number | undefined }, signal) =>
      call(
        'POST',
        evo,
        '/api/evolution/rollback',
        p.generation === undefined ? {} : { generation: p.generation },
        signal,
      ),
  } as ActionDefinition;
}

/**
 * A rollback is the remedy for a failing layer, whose status read may fail too: then the
 * current generation is unknown (with the reason) instead of refusing the remedy.
 */
async function readGeneration(
  call: Call,
  evo: Service,
  signal: AbortSignal,
): Promise<{ from: number } | { unread: string }> {
  try {
    const status = await call('GET', evo, '/api/population/status', undefined, signal);
    const generation = Number(status['generation']);
    if (Number.isInteger(generation)) return { from: generation };
    return { unread: `its status has no generation (${JSON.stringify(status['generation'])})` };
  } catch (error) {
    if (signal.aborted) throw error;
    return {
      unread: `its status could not be read: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

function planRollback(
  evo: Service,
  generation: number | undefined,
  current: { from: number } | { unread: string },
): Plan {
  if (!('from' in current)) {
    const to = generation ?? 'one generation back';
    return {
      summary: `Roll layer ${evo.layer} evolution back to ${to === 'one generation back' ? to : `generation ${to}`} (current generation unknown: ${current.unread})`,
      changes: [{ kind: 'generation', target: `${evo.url}`, from: 'unknown', to }],
    };
  }
  const { from } = current;
  const to = generation ?? Math.max(0, from - 1);
  if (generation !== undefined && generation > from) {
    throw new ActionError(`generation ${generation} is ahead of the current ${from}`);
  }
  return {
    summary: `Roll layer ${evo.layer} evolution back from generation ${from} to ${to}`,
    changes: [{ kind: 'generation', target: `${evo.url}`, from, to }],
  };
}

/** set-batching: the batch size of the batching agent. */
function setBatching(call: Call, agent: Service): ActionDefinition {
  return {
    ...ACTION_DEFAULTS['set-batching'],
    name: 'set-batching',
    params: z.object({ batchSize: z.number().int().min(1).max(1024) }).strict(),
    target: () => `layer ${agent.layer} ${agent.name} batching`,
    async plan(p: { batchSize: number }, signal) {
      const current = await call('GET', agent, '/api/config/batching', undefined, signal);
      return {
        summary: `Set layer ${agent.layer} batch size from ${String(current['batch_size'])} to ${p.batchSize}`,
        changes: [
          { kind: 'batch_size', target: agent.url, from: current['batch_size'], to: p.batchSize },
        ],
      };
    },
    execute: (p: { batchSize: number }, signal) =>
      call('PUT', agent, '/api/config/batching', { batch_size: p.batchSize }, signal),
  } as ActionDefinition;
}

/** debug-logging: debug log level for a while on every service of one layer. */
function debugLogging(call: Call, services: readonly Service[]): ActionDefinition {
  const layers = [...new Set(services.map((s) => s.layer))] as [string, ...string[]];
  const ofLayer = (layer: string) => services.filter((s) => s.layer === layer);
  return {
    ...ACTION_DEFAULTS['debug-logging'],
    name: 'debug-logging',
    params: z
      .object({
        layer: z.enum(layers),
        minutes: z
          .number()
          .int()
          .min(1)
          .max(24 * 60),
      })
      .strict(),
    target: (p: { layer: string }) => `layer ${p.layer} log level`,
    async plan(p: { layer: string; minutes: number }, signal) {
      const changes = await Promise.all(
        ofLayer(p.layer).map(async (s) => ({
          kind: 'log_level',
          target: `${s.name} ${s.url}`,
          from: (await call('GET', s, '/api/config/log-level', undefined, signal))['level'],
          to: `debug for ${p.minutes} min`,
        })),
      );
      return { summary: `Debug logging on layer ${p.layer} for ${p.minutes} minutes`, changes };
    },
    async execute(p: { layer: string; minutes: number }, signal) {
      const body = { level: 'debug', duration_seconds: p.minutes * 60 };
      const results = await Promise.all(
        ofLayer(p.layer).map(async (s) => [
          s.name,
          await call('PUT', s, '/api/config/log-level', body, signal),
        ]),
      );
      return Object.fromEntries(results) as Record<string, unknown>;
    },
  } as ActionDefinition;
}

/** maintenance-mode: maintenance on or off on every configured service. */
function maintenanceMode(call: Call, services: readonly Service[]): ActionDefinition {
  return {
    ...ACTION_DEFAULTS['maintenance-mode'],
    name: 'maintenance-mode',
    params: z.object({ enabled: z.boolean() }).strict(),
    target: () => 'every layer: maintenance',
    async plan(p: { enabled: boolean }, signal) {
      const changes = await Promise.all(
        services.map(async (s) => ({
          kind: 'maintenance',
          target: `${s.name} ${s.url}`,
          from: (await call('GET', s, '/api/maintenance', undefined, signal))['enabled'],
          to: p.enabled,
        })),
      );
      return {
        summary: `Maintenance mode ${p.enabled ? 'on' : 'off'} on ${changes.length} services`,
        changes,
      };
    },
    async execute(p: { enabled: boolean }, signal) {
      const results = await Promise.all(
        services.map(async (s) => [
          s.name,
          await call('PUT', s, '/api/maintenance', { enabled: p.enabled }, signal),
        ]),
      );
      return Object.fromEntries(results) as Record<string, unknown>;
    },
  } as ActionDefinition;
}
