import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { alertNames, alertRules, packagePath } from '../src/index.js';
import { config, groups } from './support/fixtures.js';

const dir = packagePath('runbooks');
const pages = (await readdir(dir)).filter((f) => f.endsWith('.md') && f !== 'README.md');
const SECTIONS = ['## Meaning', '## Impact', '## Diagnosis', '## Mitigation'];

/** Every action an alert offers, over all its rules (per-layer rules offer different ones). */
function actionsOf(alert: string): Set<string> {
  const actions = alertRules(groups)
    .filter((rule) => rule.alert === alert)
    .flatMap((rule) => rule.annotations.layerwatch_actions.split(','))
    .filter((action) => action !== '');
  return new Set(actions);
}

describe('runbooks', () => {
  it('has a page for every alert and an alert for every page', () => {
    const expected = alertNames(groups)
      .map((name) => `${name}.md`)
      .sort();
    expect(pages.sort()).toEqual(expected);
  });

  it("points every alert's runbook_url at its page", () => {
    for (const rule of alertRules(groups)) {
      expect(rule.annotations.runbook_url).toBe(`${config.runbookBaseUrl}/${rule.alert}.md`);
    }
  });

  it.each(alertNames(groups))(
    '%s.md has its title, the four sections and its actions',
    async (name) => {
      const text = await readFile(`${dir}/${name}.md`, 'utf8');
      expect(text.startsWith(`# ${name}\n`)).toBe(true);
      const positions = SECTIONS.map((section) => text.indexOf(`\n${section}\n`));
      expect(
        positions.every((p) => p > 0),
        `sections: ${SECTIONS.join(', ')}`,
      ).toBe(true);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
      for (const section of SECTIONS) {
        const start = text.indexOf(`\n${section}\n`) + section.length + 2;
        const body = text.slice(
          start,
          text.indexOf('\n## ', start) === -1 ? undefined : text.indexOf('\n## ', start),
        );
        expect(body.trim().length, `${section} is empty`).toBeGreaterThan(20);
      }
      const actions = text.slice(text.indexOf('\n## Remediation actions\n'));
      expect(
        actions.startsWith('\n## Remediation actions\n'),
        'a Remediation actions section',
      ).toBe(true);
      const offered = actionsOf(name);
      for (const action of offered) {
        expect(actions, `the page describes the action ${action}`).toContain(`- \`${action}\``);
      }
      const described = [...actions.matchAll(/^- `([a-z-]+)`/gm)].map((m) => m[1]);
      expect(
        described.filter((a) => !offered.has(a ?? '')),
        'actions the alert does not offer',
      ).toEqual([]);
    },
  );
});
