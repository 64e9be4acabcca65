import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { packagePath } from '@layerwatch/alert-rules';
import {
  PACKAGE_ROOT,
  startPluginHost,
  type RunningPluginHost,
} from '@layerwatch/grafana-plugin/preview-host';
import { startSilentServer, type SilentServer } from '@layerwatch/local';
import { startComposition, type RunningComposition } from '@layerwatch/stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { waitFor } from './support/alerting.js';

/**
 * The built plugin (dist/module.js) in Debian's Chromium, loaded by the host page with
 * SystemJS as Grafana loads it, its proxy routes emulated from dist/plugin.json in front of
 * the real remediation API, Alertmanager and Prometheus (fed by the simulator through the
 * probe daemon), composed as `make up` composes them on free ports with 1 s intervals.
 * Only Grafana's server is emulated. Screenshots go to grafana-plugin/test-artifacts/.
 */
const ARTIFACTS = `${PACKAGE_ROOT}/test-artifacts`;
const APP = '/a/layerwatch-ops-app';
let root: string;
let composition: RunningComposition;
/** The parts the tests talk to directly, as the composition started them. */
let stack: {
  sim: NonNullable<RunningComposition['state']['sim']>;
  alertmanager: NonNullable<RunningComposition['state']['alertmanager']>;
};
let host: RunningPluginHost;
/** The same stack behind a second host whose Alertmanager accepts and never answers. */
let silentAlertmanager: SilentServer;
let hungHost: RunningPluginHost;
let browser: Browser;
let fingerprint: string;

async function fireProbeDownAlert(): Promise<string> {
  const rules = parse(
    await readFile(packagePath('generated/prometheus/layerwatch-probes.rules.yaml'), 'utf8'),
  ) as {
    groups: Array<{
      rules: Array<{
        alert?: string;
        labels?: Record<string, string>;
        annotations?: Record<string, string>;
      }>;
    }>;
  };
  const rule = rules.groups[0]!.rules.find(
    (r) => r.alert === 'LayerwatchProbeDown' && r.labels?.['layer'] === '7',
  )!;
  const labels = {
    alertname: 'LayerwatchProbeDown',
    job: 'layerwatch-probes',
    name: 'evolution',
    ...rule.labels,
  };
  const response = await fetch(`${stack.alertmanager.url}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([
      {
        labels,
        annotations: {
          ...rule.annotations,
          description: 'evolution on layer 7 has failed every probe for 2m.',
        },
        startsAt: new Date().toISOString(),
      },
    ]),
  });
  expect(response.status).toBe(200);
  return waitFor('the alert in Alertmanager', async () => {
    const alerts = (await (
      await fetch(`${stack.alertmanager.url}/api/v2/alerts`)
    ).json()) as Array<{ fingerprint: string; labels: Record<string, string> }>;
    return alerts.find((a) => a.labels['alertname'] === 'LayerwatchProbeDown')?.fingerprint;
  });
}

async function setEvolutionFault(mode: 'fail' | 'ok'): Promise<void> {
  const response = await fetch(`${stack.sim.services.evolution.url}/-/fault`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ mode }),
  });
  expect(response.ok).toBe(true);
}

async function pageAs(login: string, path: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  await page.goto(`${host.url}/login?user=${login}&next=${encodeURIComponent(path)}`);
  return page;
}

async function openAlert(page: Page): Promise<void> {
  await page.getByTestId(`lw-alert-${fingerprint}`).getByRole('button').first().click();
  await page.getByTestId('lw-runbook').getByRole('heading', { name: 'Mitigation' }).waitFor();
}

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  root = await mkdtemp(join(tmpdir(), 'layerwatch-plugin-'));
  composition = await startComposition(['pluginHost'], {
    dir: root,
    ports: 'free',
    intervalSeconds: 1,
    logLevel: 'silent',
    pluginUsers: [
      { login: 'olivia', role: 'Editor' },
      { login: 'victor', role: 'Viewer' },
    ],
  });
  const { sim, alertmanager, remediation, prometheus, pluginHost } = composition.state;
  stack = { sim: sim!, alertmanager: alertmanager! };
  host = pluginHost!;
  silentAlertmanager = await startSilentServer();
  hungHost = await startPluginHost({
    port: 0,
    remediationUrl: remediation!.url,
    remediationToken: remediation!.tokens.operator,
    alertmanagerUrl: silentAlertmanager.url,
    prometheusUrl: prometheus!.url,
  });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  fingerprint = await fireProbeDownAlert();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await hungHost?.stop();
  await silentAlertmanager?.stop();
  await composition?.stop();
  await rm(root, { recursive: true, force: true });
});

describe('plugin in Chromium against the real stack (Grafana server stand-in: the host page)', () => {
  it('overview shows layer 7 going red after a fault', async () => {
    const page = await pageAs('admin', `${APP}/overview`);
    // The probes' row is what the fault turns red. The tile's own state also holds the
    // latency checks, which a loaded machine (CI) can push over their targets on its own.
    const layer7 = page.getByTestId('lw-layer-7');
    const probes7 = page.getByTestId('lw-health-7');
    let lastState: string | null = null;
    const probesState = async () => {
      await page.getByRole('button', { name: 'Refresh' }).click();
      lastState = await probes7.getAttribute('data-state', { timeout: 5000 });
      return lastState;
    };
    const until = (what: string, state: string) =>
      waitFor(what, async () => ((await probesState()) === state ? true : undefined), 60_000).catch(
        async (error: Error) => {
          const tile = await layer7.textContent();
          throw new Error(`${error.message} (last state ${lastState}; tile: ${tile})`);
        },
      );
    await until('layer 7 probes up', 'ok');
    await expect(page.getByTestId('lw-threshold-4-availability').textContent()).resolves.toContain(
      '≥ 99.9 %',
    );
    await page.screenshot({ path: `${ARTIFACTS}/overview-dark.png`, fullPage: true });
    await setEvolutionFault('fail');
    // The fault is lifted even when a wait below fails, so the next tests see layer 7 serving.
    try {
      await until('layer 7 probes down', 'critical');
      expect(await layer7.getAttribute('data-state')).toBe('critical');
      expect(await page.getByTestId('lw-health-4').getAttribute('data-state')).toBe('ok');
      await page.goto(`${host.url}${APP}/overview?theme=light`);
      await layer7.waitFor();
      await page.screenshot({ path: `${ARTIFACTS}/overview-light-fault.png`, fullPage: true });
    } finally {
      await setEvolutionFault('ok');
    }
  }, 90_000);

  it('an operator dry-runs, confirms a rollback and finds it in the audit page', async () => {
    const page = await pageAs('olivia', `${APP}/alerts`);
    await page.getByTestId('lw-priority-P1').waitFor();
    await openAlert(page);
    await page.screenshot({ path: `${ARTIFACTS}/alerts-runbook.png`, fullPage: true });
    await page.getByTestId('lw-action-rollback-evolution').click();
    await page.getByRole('button', { name: 'Dry-run' }).click();
    const plan = page.getByTestId('lw-action-plan');
    await expect(plan.textContent()).resolves.toMatch(
      /Roll layer 7 evolution back from generation \d+ to \d+/,
    );
    const target = (await plan.locator('p').first().textContent())!.replace('Target: ', '').trim();
    const confirm = page.getByTestId('lw-action-confirm');
    expect(await confirm.isDisabled()).toBe(true);
    await page.getByTestId('lw-action-confirm-input').fill(target);
    await page.screenshot({ path: `${ARTIFACTS}/remediation-confirm.png` });
    await confirm.click();
    const result = page.getByTestId('lw-action-result');
    await result.waitFor({ timeout: 15_000 });
    expect(await result.getAttribute('data-status')).toBe('succeeded');
    await page.screenshot({ path: `${ARTIFACTS}/remediation-result.png` });
    await page
      .getByTestId('lw-action-dialog')
      .getByRole('button', { name: 'Close', exact: true })
      .click();

    await page.getByRole('tab', { name: 'Audit' }).click();
    const row = page
      .locator(
        '[data-testid="lw-audit-row"][data-action="rollback-evolution"][data-mode="execute"]',
      )
      .first();
    await row.waitFor();
    expect(await row.getAttribute('data-outcome')).toBe('succeeded');
    await expect(row.textContent()).resolves.toContain('olivia');
    expect(await page.getByTestId('lw-audit-verify').getAttribute('data-ok')).toBe('true');
    await page.screenshot({ path: `${ARTIFACTS}/audit.png`, fullPage: true });
    await page.getByRole('tab', { name: 'Pages' }).click();
    await page.getByTestId('lw-pages').waitFor();
    await page.screenshot({ path: `${ARTIFACTS}/pages.png`, fullPage: true });
  }, 60_000);

  it("a viewer's buttons are disabled with the reason and a forced request is refused", async () => {
    const page = await pageAs('victor', `${APP}/alerts`);
    await page.getByTestId('lw-priority-P1').waitFor();
    await openAlert(page);
    const button = page.getByTestId('lw-action-rollback-evolution');
    expect(
      (await button.isDisabled()) || (await button.getAttribute('aria-disabled')) === 'true',
    ).toBe(true);
    await expect(
      page.getByTestId('lw-action-rollback-evolution-reason').textContent(),
    ).resolves.toContain('Your Grafana role (Viewer) cannot run remediation actions');
    await page.screenshot({ path: `${ARTIFACTS}/alerts-viewer.png`, fullPage: true });
    const forced = await page.evaluate(async () => {
      const r = await fetch(
        '/api/plugin-proxy/layerwatch-ops-app/remediation/api/v1/actions/rollback-evolution/execute',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ params: {} }),
        },
      );
      return { status: r.status, body: await r.text() };
    });
    expect(forced).toEqual({ status: 403, body: '{"message":"plugin proxy route access denied"}' });
  }, 60_000);

  it('acknowledging creates a silence in Alertmanager with the comment', async () => {
    const page = await pageAs('olivia', `${APP}/alerts`);
    await page.getByTestId('lw-priority-P1').waitFor();
    await openAlert(page);
    await page.getByTestId('lw-action-silence').click();
    await page.getByLabel('comment').fill('olivia: rollback under way');
    await page.getByRole('button', { name: 'Dry-run' }).click();
    await page.getByTestId('lw-action-plan').waitFor();
    await page.getByTestId('lw-action-confirm').click();
    await page.getByTestId('lw-action-result').waitFor({ timeout: 15_000 });
    await page.screenshot({ path: `${ARTIFACTS}/acknowledge.png` });
    const silences = (await (
      await fetch(`${stack.alertmanager.url}/api/v2/silences`)
    ).json()) as Array<{
      comment: string;
      status: { state: string };
      matchers: Array<{ name: string; value: string }>;
    }>;
    const silence = silences.find((s) => s.comment.includes('olivia: rollback under way'));
    expect(silence?.status.state).toBe('active');
    expect(silence?.matchers).toContainEqual(
      expect.objectContaining({ name: 'alertname', value: 'LayerwatchProbeDown' }),
    );
  }, 60_000);

  it('a hung Alertmanager: Alerts names it after the deadline and offers Refresh; Overview keeps working', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(`${hungHost.url}${APP}/alerts`);
    const error = page.getByTestId('lw-error');
    await error.waitFor({ timeout: 20_000 });
    expect(await error.getAttribute('data-backend')).toBe('Alertmanager');
    await expect(error.textContent()).resolves.toContain('Alertmanager did not answer within 10 s');
    await error.getByRole('button', { name: 'Refresh' }).waitFor();
    // The app gave up on the request, and the host passed that on to the hung backend.
    await silentAlertmanager.connections[0]!.closed;
    await page.screenshot({ path: `${ARTIFACTS}/alerts-alertmanager-hung.png`, fullPage: true });
    await page.getByRole('tab', { name: 'Overview' }).click();
    await page.getByTestId('lw-layer-4').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('lw-error').count()).toBe(0);
  }, 45_000);
});
