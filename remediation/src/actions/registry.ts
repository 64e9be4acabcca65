import { z } from 'zod/v4';
import type { ActionName, RemediationConfig, Role } from '../config/schema.js';
import { httpActions } from './http-actions.js';
import { kubernetesActions } from './kubernetes-actions.js';
import { KubernetesClient } from './kubernetes-client.js';
import { silenceAction } from './silence.js';
import type { ActionDefinition } from './types.js';

/** An action as the registry holds it: the definition with the config's overrides applied. */
export interface RegisteredAction extends ActionDefinition {
  readonly roles: readonly Role[];
  readonly paramsSchema: Record<string, unknown>;
}

export interface RegistryOptions {
  /** Tests inject a client pointed at a stand-in API server. */
  readonly kubernetes?: KubernetesClient;
}

/**
 * The registry: the only actions that can run. An action is in it when its backend is
 * configured (kubernetes, http, alertmanager) and `actions.<name>.enabled` is not false.
 */
export class ActionRegistry {
  readonly #actions: ReadonlyMap<string, RegisteredAction>;

  constructor(config: RemediationConfig, options: RegistryOptions = {}) {
    const all: ActionDefinition[] = [];
    if (config.kubernetes) {
      const client = options.kubernetes ?? KubernetesClient.fromConfig(config.kubernetes);
      all.push(...kubernetesActions(config.kubernetes, client));
    }
    if (config.http) all.push(...httpActions(config.http));
    if (config.alertmanager) {
      all.push(
        silenceAction(
          config.alertmanager.url,
          config.alertmanager.maxSilenceMinutes,
        ) as ActionDefinition,
      );
    }
    const registered = all
      .map((action) => {
        const o = config.actions[action.name as ActionName] ?? {};
        if (o.enabled === false) return undefined;
        return {
          ...action,
          roles: o.roles ?? action.roles,
          cooldownSeconds: o.cooldownSeconds ?? action.cooldownSeconds,
          requiresConfirmation: o.requiresConfirmation ?? action.requiresConfirmation,
          paramsSchema: z.toJSONSchema(action.params, {
            io: 'input',
            unrepresentable: 'any',
          }) as Record<string, unknown>,
        } satisfies RegisteredAction;
      })
      .filter((a): a is RegisteredAction => a !== undefined);
    this.#actions = new Map(registered.map((a) => [a.name, a]));
  }

  get(name: string): RegisteredAction | undefined {
    return this.#actions.get(name);
  }

  list(): RegisteredAction[] {
    return [...this.#actions.values()];
  }
}
