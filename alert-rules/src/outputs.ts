/**
 * Everything generated from the config, as file contents in memory: the Prometheus rule
 * file, the same rules as Prometheus Operator `PrometheusRule` objects, alertmanager.yml
 * and the promtool tests. `npx layerwatch generate` writes them; `--check` finds drift.
 */
import { join } from 'node:path';
import { stringify } from 'yaml';
import { buildAlertmanagerConfig } from './alertmanager/config.js';
import type { PagerSecrets } from './alertmanager/secrets.js';
import type { AlertRulesConfig } from './config-types.js';
import { packageRoot } from './paths.js';
import { promtoolTests } from './promtool-tests.js';
import { buildRuleGroups, ruleFileContent } from './rules.js';
import type { RuleGroup } from './types.js';

/** Paths relative to the alert-rules package. */
export const GENERATED = {
  dir: 'generated',
  /** One rule file per group: `<group>.rules.yaml`; Prometheus loads them by this glob. */
  rulesDir: 'generated/prometheus',
  rulesGlob: 'generated/prometheus/*.rules.yaml',
  prometheusRule: 'generated/prometheus-operator/layerwatch.prometheusrules.yaml',
  alertmanager: 'generated/alertmanager/alertmanager.yml',
  testsDir: 'generated/tests',
} as const;

/** The rule file of one group, relative to the package. */
export function ruleFilePath(groupName: string): string {
  return `${GENERATED.rulesDir}/${groupName}.rules.yaml`;
}

/** What regenerates every committed artefact (generate/); headers and drift messages name it. */
export const REGENERATE_COMMAND = 'npx layerwatch generate';

const HEADER = [
  `Generated from alert-rules/src (config: alert-rules/src/config.ts). Do not edit:`,
  `change the TypeScript and run \`${REGENERATE_COMMAND}\`.`,
];

function comment(header: readonly string[]): string {
  return header.map((line) => `# ${line}\n`).join('');
}

/** YAML with the generated-file header; long lines are never folded. */
export function toYaml(value: unknown, header: readonly string[] = HEADER): string {
  return `${comment(header)}${stringify(value, { lineWidth: 0, minContentWidth: 0 })}`;
}

export function ruleFileYaml(groups: readonly RuleGroup[]): string {
  return toYaml(ruleFileContent(groups));
}

export function alertmanagerYaml(
  config: AlertRulesConfig,
  groups: readonly RuleGroup[],
  secrets?: PagerSecrets,
): string {
  const header = secrets
    ? ['Rendered at deploy time with pager secrets: keep it out of git (mode 0600).']
    : [
        ...HEADER,
        'No pager credentials: pages reach the remediation webhook only. Real pagers are',
        'added at deploy time from the environment or a secrets file (see the README).',
      ];
  return toYaml(buildAlertmanagerConfig(config, groups, secrets), header);
}

function prometheusRuleYaml(groups: readonly RuleGroup[]): string {
  const docs = groups.map((group) =>
    stringify(
      {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PrometheusRule',
        metadata: {
          name: group.name,
          labels: {
            'app.kubernetes.io/name': 'layerwatch',
            'app.kubernetes.io/component': 'alert-rules',
            role: 'alert-rules',
          },
        },
        spec: ruleFileContent([group]),
      },
      { lineWidth: 0, minContentWidth: 0 },
    ),
  );
  return comment(HEADER) + docs.map((d) => `---\n${d}`).join('');
}

/** Every generated file by its path relative to the package, unformatted. */
export function generatedFiles(config: AlertRulesConfig): Map<string, string> {
  const groups = buildRuleGroups(config);
  const files = new Map<string, string>([
    [GENERATED.prometheusRule, prometheusRuleYaml(groups)],
    [GENERATED.alertmanager, alertmanagerYaml(config, groups)],
  ]);
  // A group's tests load only its own rule file: promtool evaluates every loaded rule at
  // every step, and the SLO groups' multi-day windows make that the cost of the tests.
  for (const group of groups) {
    files.set(ruleFilePath(group.name), ruleFileYaml([group]));
    const tests = promtoolTests(group, `../prometheus/${group.name}.rules.yaml`);
    files.set(`${GENERATED.testsDir}/${group.name}.test.yaml`, toYaml(tests));
  }
  return files;
}

/** The files as Prettier writes them, so `prettier --check` agrees with the generator. */
export async function formatFiles(
  files: Map<string, string>,
  root: string = packageRoot(),
): Promise<Map<string, string>> {
  const prettier = await import('prettier');
  const out = new Map<string, string>();
  for (const [path, text] of files) {
    const filepath = join(root, path);
    const options = (await prettier.resolveConfig(filepath)) ?? {};
    out.set(path, await prettier.format(text, { ...options, filepath }));
  }
  return out;
}
