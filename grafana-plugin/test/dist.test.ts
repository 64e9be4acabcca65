import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIST_DIR, PACKAGE_ROOT } from '../preview-host/server/index.js';

/** What `make test` built into dist/ (the plugin Grafana loads); test/docker-compose.test.ts checks the compose file that mounts it. */
const REPO = resolve(PACKAGE_ROOT, '..');

interface PluginJson {
  id: string;
  info: { version: string; updated: string };
  includes: Array<{ type: string; path: string; role?: string }>;
  routes: Array<{
    path: string;
    method: string;
    reqRole?: string;
    reqAction?: string;
    url: string;
    headers?: Array<{ content: string }>;
  }>;
}

describe('dist/', () => {
  it('holds module.js as AMD with the shared modules external, and the files Grafana wants', async () => {
    const module = await readFile(`${DIST_DIR}/module.js`, 'utf8');
    expect(module.startsWith('define([')).toBe(true);
    for (const shared of ['react', '@grafana/ui', '@grafana/data', '@grafana/runtime'])
      expect(module).toContain(`"${shared}"`);
    expect(module).not.toContain('createElement("div",{className:"css-');
    for (const file of ['plugin.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'img/logo.svg'])
      expect(existsSync(`${DIST_DIR}/${file}`), file).toBe(true);
  });

  it("fills plugin.json's placeholders and includes every dashboard and runbook", async () => {
    const text = await readFile(`${DIST_DIR}/plugin.json`, 'utf8');
    expect(text).not.toMatch(/%[A-Z_]+%/);
    const plugin = JSON.parse(text) as PluginJson;
    expect(plugin.id).toBe('layerwatch-ops-app');
    expect(plugin.info.version).toBe('0.1.0');
    expect(plugin.info.updated).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const dashboards = (await readdir(`${REPO}/dashboards/generated`))
      .filter((f) => f.endsWith('.json'))
      .sort();
    const included = plugin.includes
      .filter((i) => i.type === 'dashboard')
      .map((i) => i.path.replace('dashboards/', ''))
      .sort();
    expect(included).toEqual(dashboards);
    for (const d of included) expect(existsSync(`${DIST_DIR}/dashboards/${d}`), d).toBe(true);
    const runbooks = (await readdir(`${REPO}/alert-rules/runbooks`)).filter((f) =>
      f.endsWith('.md'),
    );
    for (const r of runbooks) expect(existsSync(`${DIST_DIR}/runbooks/${r}`), r).toBe(true);
  });

  it('sends the token only from secureJsonData through routes that each declare who may call them', async () => {
    const plugin = JSON.parse(await readFile(`${DIST_DIR}/plugin.json`, 'utf8')) as PluginJson;
    for (const route of plugin.routes) {
      expect(route.method, route.path).toMatch(/^(GET|POST)$/);
      expect(route.reqRole ?? route.reqAction, route.path).toBeDefined();
      for (const h of route.headers ?? [])
        expect(h.content).toMatch(/\{\{ \.SecureJsonData\.remediationToken \}\}/);
    }
    expect(
      plugin.routes
        .filter((r) => r.method === 'POST')
        .every((r) => r.reqAction === 'layerwatch-ops-app.actions:execute'),
    ).toBe(true);
  });
});
