import type { Logger } from 'pino';
import {
  DEFAULT_PLAN,
  describePlan,
  knownQueryFields,
  planQuery,
  type QueryPlan,
} from './query-plan.js';
import { runNvidiaSmi } from './run-nvidia-smi.js';

export interface FieldDiscoveryOptions {
  readonly path: string;
  readonly timeoutMs: number;
  readonly logger: Logger;
}

export type Discovered =
  | { readonly ok: true; readonly plan: QueryPlan }
  /** The help run was stopped (timeout, stop): the query would be too. */
  | { readonly ok: false; readonly reason: string };

export interface FieldDiscovery {
  /** The plan to query with: asked of `nvidia-smi --help-query-gpu` when none is known. */
  plan(signal: AbortSignal): Promise<Discovered>;
  /** After a failed run: ask the driver again next time (it may have been upgraded). */
  forget(): void;
}

/**
 * Asks `nvidia-smi --help-query-gpu` once at start, and again after a run failed, which
 * fields the installed driver knows. A help text that cannot be had (a wrapper that only
 * answers queries, an exit code) falls back to the default fields: the query then says
 * for itself whether the driver answers. Logs each distinct outcome once.
 */
export function fieldDiscovery(options: FieldDiscoveryOptions): FieldDiscovery {
  const { logger, path } = options;
  let current: QueryPlan | undefined;
  let lastLogged: string | undefined;
  const logOnce = (key: string, log: () => void): void => {
    if (key !== lastLogged) log();
    lastLogged = key;
  };

  const ask = async (signal: AbortSignal): Promise<Discovered> => {
    const run = await runNvidiaSmi({
      path,
      args: ['--help-query-gpu'],
      timeoutMs: options.timeoutMs,
      signal,
    });
    if (!run.ok && signal.aborted) return { ok: false, reason: run.reason };
    const known = run.ok ? knownQueryFields(run.stdout) : undefined;
    if (known === undefined) {
      const reason = run.ok ? 'it printed no field list' : run.reason;
      logOnce(`default:${reason}`, () =>
        logger.info(
          { collector: 'gpu', path, reason },
          'nvidia-smi --help-query-gpu gave no field list; asking for the default fields',
        ),
      );
      return { ok: true, plan: DEFAULT_PLAN };
    }
    const plan = planQuery(known);
    const said = describePlan(plan);
    logOnce(`plan:${said}`, () => {
      if (plan.dropped.length > 0) {
        logger.warn(
          { collector: 'gpu', path, dropped: plan.dropped, renamed: plan.renamed },
          `nvidia-smi fields left out, their series with them (${said})`,
        );
      } else if (plan.renamed.length > 0) {
        logger.info({ collector: 'gpu', path, renamed: plan.renamed }, `nvidia-smi: ${said}`);
      }
    });
    return { ok: true, plan };
  };

  return {
    async plan(signal) {
      if (current) return { ok: true, plan: current };
      const found = await ask(signal);
      if (found.ok) current = found.plan;
      return found;
    },
    forget() {
      current = undefined;
    },
  };
}
