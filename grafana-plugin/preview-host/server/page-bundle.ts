import { stat } from 'node:fs/promises';
import { build } from 'esbuild';
import { HOST_PAGE_DIR, HOST_PAGE_ENTRY } from './paths.js';

/**
 * Bundles the host page: Grafana's shared modules (React, @grafana/*, rxjs, router, emotion)
 * plus the Grafana emulation (BackendSrv, DataSourceSrv, theme, SystemJS registration).
 * esbuild, because this is Grafana's side, not the plugin: the plugin is webpack-built.
 */
export async function buildHostPage(outdir = HOST_PAGE_DIR): Promise<string> {
  await build({
    entryPoints: { main: HOST_PAGE_ENTRY },
    outdir,
    bundle: true,
    format: 'iife',
    minify: true,
    target: 'es2020',
    jsx: 'transform',
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
    loader: {
      '.svg': 'file',
      '.woff': 'file',
      '.woff2': 'file',
      '.ttf': 'file',
      '.eot': 'file',
      '.png': 'file',
      '.gif': 'file',
    },
  });
  return outdir;
}

/** Builds the page unless it is already there (`npm run build -w grafana-plugin` makes it). */
export async function ensureHostPage(outdir = HOST_PAGE_DIR): Promise<string> {
  const exists = await stat(`${outdir}/main.js`).then(
    () => true,
    () => false,
  );
  return exists ? outdir : buildHostPage(outdir);
}
