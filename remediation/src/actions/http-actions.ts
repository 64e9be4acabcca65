import { z } from 'zod/v4';
import type { HttpConfig } from '../config/schema.js';
import { ACTION_DEFAULTS } from './defaults.js';
import { callJson } from './http-client.js';
import { ActionError, type ActionDefinition } from './types.js';

type Service = HttpConfig['services'][number];

/** rollback-evolution, set-batching, debug-logging and maintenance-mode on the layer services. */
export function httpActions(config: HttpConfig): ActionDefinition[] {
  const byName = new Map(config.services.map((s) => [s.name, s]));
  const t = config.timeoutSeconds;
  const call = (
    m: 'GET' | 'PUT' | 'POST',
    s: Service,
    path: string,
    body: unknown,
    signal: AbortSignal,
  ) => callJson(m, new URL(path, s.url).href, body, signal, t) as Promise<Record<string, unknown>>;
  const service = (name: string): Service => {
    const found = byName.get(name);
    if (!found) throw new ActionError(`service "${name}" is not configured under http.services`);
    return found;
  };
  const layers = [...new Set(config.services.map((s) => s.layer))] as [string, ...string[]];
  const ofLayer = (layer: string) => config.services.filter((s) => s.layer === layer);
  const actions: ActionDefinition[] = [];

  if (byName.has(config.evolutionService)) {
    const evo = service(config.evolutionService);
    actions.push({
      ...ACTION_DEFAULTS['rollback-evolution'],
      name: 'rollback-evolution',
      params: z
        .object({ generation: z.number().int().min(0).optional().describe('default: one back') })
        .strict(),
      target: () => `layer ${evo.layer} ${evo.name}`,
      async plan(p: { generation?: number | undefined }, signal) {
        // A rollback is the remedy for a failing layer, whose status read may fail too: then
        // the plan says the current generation is unknown instead of refusing the remedy.
        let from: number | undefined;
        let unread = '';
        try {
          const status = await call('GET', evo, '/api/population/status', undefined, signal);
          const generation = Number(status['generation']);
          if (Number.isInteger(generation)) from = generation;
          else unread = `its status has no generation (${JSON.stringify(status['generation'])})`;
        } catch (error) {
          if (signal.aborted) throw error;
          unread = `its status could not be read: ${error instanceof Error ? error.message : String(error)}`;
        }
        if (from === undefined) {
          const to = p.generation ?? 'one generation back';
          return {
            summary: `Roll layer ${evo.layer} evolution back to ${to === 'one generation back' ? to : `generation ${to}`} (current generation unknown: ${unread})`,
            changes: [{ kind: 'generation', target: `${evo.url}`, from: 'unknown', to }],
          };
        }
        const to = p.generation ?? Math.max(0, from - 1);
        if (p.generation !== undefined && p.generation > from) {
          throw new ActionError(`generation ${p.generation} is ahead of the current ${from}`);
        }
        return {
          summary: `Roll layer ${evo.layer} evolution back from generation ${from} to ${to}`,
          changes: [{ kind: 'generation', target: `${evo.url}`, from, to }],
        };
      },
      execute: (p: { generation?: number | undefined }, signal) =>
        call(
          'POST',
          evo,
          '/api/evolution/rollback',
          p.generation === undefined ? {} : { generation: p.generation },
          signal,
        ),
    } as ActionDefinition);
  }

  if (byName.has(config.batchingService)) {
    const agent = service(config.batchingService);
    actions.push({
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
    } as ActionDefinition);
  }

  actions.push({
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
  } as ActionDefinition);

  actions.push({
    ...ACTION_DEFAULTS['maintenance-mode'],
    name: 'maintenance-mode',
    params: z.object({ enabled: z.boolean() }).strict(),
    target: () => 'every layer: maintenance',
    async plan(p: { enabled: boolean }, signal) {
      const changes = await Promise.all(
        config.services.map(async (s) => ({
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
        config.services.map(async (s) => [
          s.name,
          await call('PUT', s, '/api/maintenance', { enabled: p.enabled }, signal),
        ]),
      );
      return Object.fromEntries(results) as Record<string, unknown>;
    },
  } as ActionDefinition);
  return actions;
}
