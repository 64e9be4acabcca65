import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  buildRuleGroups,
  prometheusConfig,
  ruleFileYaml,
  type AlertRulesConfig,
  type PrometheusSetup,
} from '@layerwatch/alert-rules';
import { startPrometheus, type RunningPrometheus } from '@layerwatch/local';

/**
 * A Prometheus that runs the rules of `config` (one file per group under `<dir>/rules`) with
 * `setup`'s scrapes and Alertmanagers, its TSDB in `<dir>/data`: the single instance of the
 * stack and each HA replica.
 */
export async function startRulesPrometheus(
  dir: string,
  config: AlertRulesConfig,
  setup: Omit<PrometheusSetup, 'ruleFiles'>,
  listen: { readonly host: string; readonly port: number },
): Promise<RunningPrometheus> {
  const file = await writeRulesPrometheus(dir, config, setup);
  return startPrometheus({ dataDir: join(dir, 'data'), configFile: file, ...listen });
}

/** Writes the rule files and prometheus.yml into `dir` (again: a reload reads them). */
export async function writeRulesPrometheus(
  dir: string,
  config: AlertRulesConfig,
  setup: Omit<PrometheusSetup, 'ruleFiles'>,
): Promise<string> {
  await mkdir(join(dir, 'rules'), { recursive: true });
  for (const group of buildRuleGroups(config)) {
    await writeFile(join(dir, 'rules', `${group.name}.rules.yaml`), ruleFileYaml([group]));
  }
  const file = join(dir, 'prometheus.yml');
  await writeFile(
    file,
    prometheusConfig(config, { ...setup, ruleFiles: [join(dir, 'rules', '*.rules.yaml')] }),
  );
  return file;
}
