import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments, parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { listFiles } from '../src/expected-files.js';
import { GENERATED, alertRules, packagePath } from '../src/index.js';
import type { PromtoolTestFile } from '../src/promtool-tests.js';
import { groups, scratchFolder } from './support/fixtures.js';
import { runTool } from './support/tools.js';

const testsDir = packagePath(GENERATED.testsDir);
const ruleFiles = (await listFiles(packagePath(GENERATED.rulesDir))).filter((f) =>
  f.endsWith('.rules.yaml'),
);
const testFiles = (await listFiles(testsDir)).filter((f) => f.endsWith('.test.yaml'));
const scratch = scratchFolder('rules');

describe('promtool', () => {
  it('check rules: every rule file is clean (no lint findings)', () => {
    expect(ruleFiles.length).toBe(groups.length);
    const result = runTool('promtool', ['check', 'rules', ...ruleFiles]);
    expect(result.output.match(/SUCCESS: \d+ rules found/g)).toHaveLength(ruleFiles.length);
    expect(result.output).not.toMatch(/lint|duplicate|WARNING/i);
    expect(result.status).toBe(0);
  });

  it('check rules: every PrometheusRule object holds the same, clean groups', async () => {
    const docs = parseAllDocuments(await readFile(packagePath(GENERATED.prometheusRule), 'utf8'));
    const objects = docs.map((doc) => doc.toJS() as { kind: string; spec: { groups: unknown[] } });
    expect(objects.every((o) => o.kind === 'PrometheusRule')).toBe(true);
    const operatorGroups = objects.flatMap((o) => o.spec.groups);
    const fromFiles = [];
    for (const file of ruleFiles) {
      fromFiles.push(...(parse(await readFile(file, 'utf8')) as { groups: unknown[] }).groups);
    }
    expect(operatorGroups).toEqual(expect.arrayContaining(fromFiles));
    expect(operatorGroups).toHaveLength(fromFiles.length);
    const extracted = scratch.file('from-operator.yaml');
    await writeFile(extracted, JSON.stringify({ groups: operatorGroups }));
    const result = runTool('promtool', ['check', 'rules', extracted]);
    expect(result.status, result.output).toBe(0);
  });
});

// One promtool per file, run side by side: the SLO files take seconds each.
describe.concurrent('promtool test rules', () => {
  it.each(testFiles.map((file) => [basename(file), file]))(
    '%s passes',
    async (_, file) => {
      const result = await promisify(execFile)('promtool', ['test', 'rules', file], {
        cwd: testsDir,
      }).catch((error: { stdout?: string; stderr?: string; message: string }) => ({
        stdout: `FAILED\n${error.stdout ?? ''}${error.stderr ?? error.message}`,
      }));
      expect(result.stdout).toMatch(/SUCCESS/);
      expect(result.stdout).not.toMatch(/FAILED/);
    },
    120_000,
  );
});

describe('coverage of the promtool tests', () => {
  it('gives every alert rule a not-yet-firing check one interval before it fires', async () => {
    const tests: PromtoolTestFile['tests'] = [];
    for (const file of await listFiles(testsDir)) {
      tests.push(...(parse(await readFile(file, 'utf8')) as PromtoolTestFile).tests);
    }
    const uncovered: string[] = [];
    for (const rule of alertRules(groups)) {
      const covered = tests.some((test) => {
        const checks = test.alert_rule_test ?? [];
        const firing = checks.find(
          (c) =>
            c.alertname === rule.alert &&
            c.exp_alerts.some((a) =>
              Object.entries(rule.labels).every(([k, v]) => a.exp_labels[k] === v),
            ),
        );
        if (!firing) return false;
        if (rule.alert === 'LayerwatchWatchdog') return true; // fires from the first evaluation
        const before = minutes(firing.eval_time) - 1;
        return checks.some(
          (c) =>
            c.alertname === rule.alert &&
            c.exp_alerts.length === 0 &&
            minutes(c.eval_time) === before,
        );
      });
      if (!covered) uncovered.push(`${rule.alert} ${JSON.stringify(rule.labels)}`);
    }
    expect(uncovered, 'alert rules without a firing and a not-yet-firing promtool check').toEqual(
      [],
    );
  });
});

function minutes(time: string): number {
  const match = /^(\d+)(m|h)$/.exec(time);
  if (!match) throw new Error(`unexpected eval_time ${time}`);
  return Number(match[1]) * (match[2] === 'h' ? 60 : 1);
}
