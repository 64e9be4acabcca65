import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPluginHost, type RunningPluginHost } from '../preview-host/server/index.js';

/** The preview host's own Grafana APIs (no backend behind them): settings, users, the app page. */
let host: RunningPluginHost;

beforeAll(async () => {
  host = await startPluginHost({
    port: 0,
    remediationUrl: 'http://127.0.0.1:9',
    remediationToken: 'lw_secret_token',
    alertmanagerUrl: 'http://127.0.0.1:9',
    prometheusUrl: 'http://127.0.0.1:9',
    users: [{ login: 'victor', role: 'Viewer' }],
  });
});

afterAll(() => host?.stop());

const SETTINGS = '/api/plugins/layerwatch-ops-app/settings';

async function as(login: string): Promise<string> {
  const r = await fetch(`${host.url}/login?user=${login}&next=/`, { redirect: 'manual' });
  expect(r.status).toBe(302);
  return r.headers.get('set-cookie')!.split(';')[0]!;
}

describe('preview host: the Grafana APIs it stands in for', () => {
  it('returns the settings with which secrets are set, never their values', async () => {
    const body = (await (await fetch(`${host.url}${SETTINGS}`)).json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      id: 'layerwatch-ops-app',
      enabled: true,
      jsonData: { remediationUrl: 'http://127.0.0.1:9', prometheusUid: 'layerwatch-prometheus' },
      secureJsonFields: { remediationToken: true },
    });
    expect(JSON.stringify(body)).not.toContain('lw_secret_token');
  });

  it('lets only an Admin save settings, and keeps what was saved', async () => {
    const post = (cookie?: string, body = '{"jsonData":{"refreshSeconds":30}}') =>
      fetch(`${host.url}${SETTINGS}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
        body,
      });
    expect((await post(await as('victor'))).status).toBe(403);
    expect((await post(undefined, '{not json')).status).toBe(400);
    expect(await (await post()).json()).toEqual({ message: 'Plugin settings updated' });
    const saved = (await (await fetch(`${host.url}${SETTINGS}`)).json()) as { jsonData: unknown };
    expect(saved.jsonData).toEqual({ refreshSeconds: 30 });
  });

  it('switches users by session cookie and refuses an unknown one', async () => {
    const me = await fetch(`${host.url}/api/user`, { headers: { cookie: await as('victor') } });
    expect(await me.json()).toMatchObject({ login: 'victor', orgRole: 'Viewer' });
    const unknown = await fetch(`${host.url}/login?user=mallory`);
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toEqual({
      message: 'Unknown user "mallory"; known: admin, victor',
    });
  });

  it("serves the app page with the user's role and RBAC permissions in its boot data", async () => {
    const html = await (await fetch(`${host.url}/a/layerwatch-ops-app/alerts`)).text();
    expect(html).toContain('"orgRole":"Admin"');
    expect(html).toContain('"layerwatch-ops-app.actions:execute":true');
    const viewer = await (
      await fetch(`${host.url}/a/layerwatch-ops-app/alerts`, {
        headers: { cookie: await as('victor') },
      })
    ).text();
    expect(viewer).toContain('"orgRole":"Viewer"');
    expect(viewer).not.toContain('actions:execute');
  });
});
