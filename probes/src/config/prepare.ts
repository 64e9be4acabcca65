import { PROBERS, type ProberName } from '../prober/registry.js';
import { SettingsError, type ProbeFn, type Prober } from '../prober/types.js';
import { errorMessage } from '../util/errors.js';
import { ConfigError, type ConfigProblem } from './config-error.js';
import { loadConfigFile, parseConfig, type ValidatedConfig } from './load.js';
import type { ModuleConfig, ProbeConfig } from './schema.js';

/** A module with its prober's settings prepared once: regexps compiled, pools built. */
export interface PreparedModule {
  readonly name: string;
  readonly prober: ProberName;
  readonly timeoutMs: number;
  readonly config: ModuleConfig;
  /** What the prober's `prepare` made of the module's settings; `probe` is called with it. */
  readonly settings: unknown;
  readonly probe: ProbeFn<unknown>;
  /** The prober's `settlesAtDeadline`: runProbe awaits its probe without a race. */
  readonly settlesAtDeadline: boolean;
  close(): Promise<void>;
}

/** One target of the scheduled mode, with the labels its series carry. */
export interface ScheduledTarget {
  /** `layer/name`, unique across the config. */
  readonly key: string;
  readonly target: string;
  readonly schedule: string;
  readonly module: PreparedModule;
  readonly labels: {
    readonly layer: string;
    readonly name: string;
    readonly target: string;
    readonly module: string;
  };
}

export interface LoadedConfig {
  readonly file: string;
  readonly config: ProbeConfig;
  readonly modules: ReadonlyMap<string, PreparedModule>;
  readonly targets: readonly ScheduledTarget[];
  close(): Promise<void>;
}

export function loadProbeConfig(file: string): LoadedConfig {
  return prepareConfig(loadConfigFile(file));
}

export function loadProbeConfigText(text: string, file: string): LoadedConfig {
  return prepareConfig(parseConfig(text, file));
}

/** Runs every prober's `prepare`; a SettingsError becomes a located ConfigProblem. */
export function prepareConfig(validated: ValidatedConfig): LoadedConfig {
  // A copy with strings of its own: a parsed string is often a slice of the file's text,
  // which stays in memory while any slice of it does (its size again, ~90 B per target).
  const config = structuredClone(validated.config);
  const problems: ConfigProblem[] = [];
  const modules = new Map<string, PreparedModule>();
  for (const [name, module] of Object.entries(config.modules)) {
    try {
      modules.set(name, prepareModule(name, module));
    } catch (error) {
      const path: (string | number)[] =
        error instanceof SettingsError
          ? ['modules', name, module.prober, ...error.path]
          : ['modules', name];
      problems.push(validated.problemAt(path, errorMessage(error)));
    }
  }
  const targets = scheduledTargets(validated, config, modules, problems);
  if (problems.length) {
    void Promise.all([...modules.values()].map((m) => m.close()));
    throw new ConfigError(problems);
  }
  return {
    file: validated.file,
    config,
    modules,
    targets,
    close: async () => {
      await Promise.all([...modules.values()].map((m) => m.close()));
    },
  };
}

function scheduledTargets(
  validated: ValidatedConfig,
  config: ProbeConfig,
  modules: ReadonlyMap<string, PreparedModule>,
  problems: ConfigProblem[],
): ScheduledTarget[] {
  const seen = new Set<string>();
  const targets: ScheduledTarget[] = [];
  config.layers.forEach((layer, li) =>
    layer.targets.forEach((target, ti) => {
      const key = `${layer.layer}/${target.name}`;
      if (seen.has(key)) {
        problems.push(
          validated.problemAt(
            ['layers', li, 'targets', ti, 'name'],
            `"${target.name}" is already a target of layer ${layer.layer}: names must be unique per layer`,
          ),
        );
        return;
      }
      seen.add(key);
      const module = modules.get(target.module);
      if (!module) return;
      targets.push({
        key,
        target: target.target,
        schedule: target.schedule ?? layer.schedule ?? config.scheduler.default_schedule,
        module,
        labels: {
          layer: layer.layer,
          name: target.name,
          target: target.target,
          module: target.module,
        },
      });
    }),
  );
  return targets;
}

export function prepareModule(name: string, module: ModuleConfig): PreparedModule {
  switch (module.prober) {
    case 'http':
      return bind(name, module, PROBERS.http, module.http);
    case 'tcp':
      return bind(name, module, PROBERS.tcp, module.tcp);
    case 'redis':
      return bind(name, module, PROBERS.redis, module.redis);
    case 'postgres':
      return bind(name, module, PROBERS.postgres, module.postgres);
  }
}

function bind<S, P>(
  name: string,
  module: ModuleConfig,
  prober: Prober<S, P>,
  settings: S,
): PreparedModule {
  const prepared = prober.prepare(settings);
  return {
    name,
    prober: module.prober,
    timeoutMs: module.timeout,
    config: module,
    settings: prepared,
    // The context's `settings` is this module's `prepared`: runProbe passes them together.
    probe: prober.probe as ProbeFn<unknown>,
    settlesAtDeadline: prober.settlesAtDeadline === true,
    close: async () => {
      await prober.close?.(prepared);
    },
  };
}
