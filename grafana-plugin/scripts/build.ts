import webpack from 'webpack';
import { webpackConfig } from '../.config/webpack/webpack.config.js';
import { buildHostPage } from '../preview-host/server/page-bundle.js';

/**
 * `npm run build -w grafana-plugin`: the plugin into dist/ (webpack, as create-plugin does)
 * and the preview host page's shared-modules bundle into build/preview-host-page/. `--plugin-only` skips the latter.
 */
const config = webpackConfig({ production: !process.argv.includes('--dev') });
const stats = await new Promise<webpack.Stats>((resolve, reject) => {
  webpack(config, (err, result) =>
    err || !result ? reject(err ?? new Error('webpack gave no stats')) : resolve(result),
  );
});
if (stats.hasErrors()) {
  console.error(stats.toString({ colors: false, all: false, errors: true, errorDetails: true }));
  process.exit(1);
}
const assets = stats.toJson({ assets: true }).assets ?? [];
for (const a of assets.filter((x) => x.name.endsWith('.js')))
  console.log(`dist/${a.name.replace(/\?.*$/, '')}  ${(a.size / 1024).toFixed(1)} KiB`);
if (!process.argv.includes('--plugin-only')) {
  const out = await buildHostPage();
  console.log(`preview host page: ${out}`);
}
