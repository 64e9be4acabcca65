import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import CopyWebpackPlugin from 'copy-webpack-plugin';
import type { Configuration, ExternalItemFunctionData } from 'webpack';

/**
 * create-plugin's webpack setup (`.config/webpack/webpack.config.ts`), trimmed to an app:
 * swc-loader, AMD output for Grafana's SystemJS loader, Grafana's shared modules external,
 * assets copied into dist/ with plugin.json's placeholders filled.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SOURCE_DIR = `${ROOT}src`;
export const DIST_DIR = `${ROOT}dist`;
const REPO = fileURLToPath(new URL('../../../', import.meta.url));

const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { version: string };
const pluginJson = JSON.parse(readFileSync(`${SOURCE_DIR}/plugin.json`, 'utf8')) as { id: string };

/** Modules Grafana shares with plugins at run time (create-plugin's list). */
export const EXTERNALS: Array<string | RegExp> = [
  'lodash',
  'jquery',
  'moment',
  'slate',
  'emotion',
  '@emotion/react',
  '@emotion/css',
  'prismjs',
  'slate-plain-serializer',
  '@grafana/slate-react',
  'react',
  'react-dom',
  'react-redux',
  'redux',
  'rxjs',
  'i18next',
  'react-router',
  'react-router-dom',
  'd3',
  'angular',
  /^@grafana\/ui/i,
  /^@grafana\/runtime/i,
  /^@grafana\/data/i,
];

/** Fills %VERSION% and %TODAY% as create-plugin's ReplaceInFileWebpackPlugin does. */
export function fillPlaceholders(text: string, version: string, today: string): string {
  return text.replace(/%VERSION%/g, version).replace(/%TODAY%/g, today);
}

export function webpackConfig(options: { production: boolean; today?: string }): Configuration {
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const fill = (content: Buffer) => fillPlaceholders(content.toString(), pkg.version, today);
  return {
    context: ROOT,
    devtool: options.production ? 'source-map' : 'eval-source-map',
    mode: options.production ? 'production' : 'development',
    entry: { module: './src/module.tsx' },
    externals: [
      ...EXTERNALS,
      // Legacy SDK imports: "grafana/…" resolves to Grafana's own module.
      ({ request }: ExternalItemFunctionData, callback: (err?: Error, result?: string) => void) => {
        if (request?.startsWith('grafana/'))
          return callback(undefined, request.slice('grafana/'.length));
        callback();
      },
    ],
    module: {
      rules: [
        {
          exclude: /node_modules/,
          test: /\.[tj]sx?$/,
          use: {
            loader: 'swc-loader',
            options: {
              jsc: {
                baseUrl: SOURCE_DIR,
                target: 'es2015',
                loose: false,
                parser: { syntax: 'typescript', tsx: true, decorators: false, dynamicImport: true },
              },
            },
          },
        },
      ],
    },
    output: {
      clean: true,
      filename: '[name].js',
      chunkFilename: '[name].js?_cache=[contenthash]',
      library: { type: 'amd' },
      path: DIST_DIR,
      publicPath: `public/plugins/${pluginJson.id}/`,
      uniqueName: pluginJson.id,
    },
    plugins: [
      new CopyWebpackPlugin({
        patterns: [
          { from: `${SOURCE_DIR}/plugin.json`, to: '.', transform: fill },
          { from: `${ROOT}README.md`, to: '.', transform: fill },
          { from: `${ROOT}CHANGELOG.md`, to: '.' },
          { from: `${ROOT}LICENSE`, to: '.' },
          { from: `${SOURCE_DIR}/img/*`, to: 'img/[name][ext]' },
          { from: `${REPO}dashboards/generated/*.json`, to: 'dashboards/[name][ext]' },
          { from: `${REPO}alert-rules/runbooks/*.md`, to: 'runbooks/[name][ext]' },
        ],
      }),
    ],
    resolve: {
      extensions: ['.js', '.jsx', '.ts', '.tsx'],
      // src/overview is also built for Node (NodeNext wants `.js` on relative imports).
      extensionAlias: { '.js': ['.ts', '.tsx', '.js'] },
    },
    performance: { hints: false },
  };
}
