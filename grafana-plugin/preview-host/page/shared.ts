import * as emotionCss from '@emotion/css';
import * as grafanaData from '@grafana/data';
import * as grafanaRuntime from '@grafana/runtime';
import * as grafanaUi from '@grafana/ui';
import * as React from 'react';
import * as ReactDOM from 'react-dom';
import * as ReactRouter from 'react-router';
import * as ReactRouterDom from 'react-router-dom';
import * as rxjs from 'rxjs';

/**
 * The modules Grafana shares with plugins, registered in SystemJS as `package:<name>` and
 * mapped by an import map, as Grafana's plugin loader does: the plugin's AMD `define`
 * dependencies resolve to these very instances (one React, one theme context, one runtime).
 */
const SHARED: Record<string, object> = {
  '@emotion/css': emotionCss,
  '@grafana/data': grafanaData,
  '@grafana/runtime': grafanaRuntime,
  '@grafana/ui': grafanaUi,
  react: React,
  'react-dom': ReactDOM,
  'react-router': ReactRouter,
  'react-router-dom': ReactRouterDom,
  rxjs,
};

interface SystemLike {
  set(id: string, module: object): void;
  addImportMap(map: { imports: Record<string, string> }): void;
  import(id: string): Promise<unknown>;
}

export function shareModules(system: SystemLike): void {
  const imports: Record<string, string> = {};
  for (const [name, namespace] of Object.entries(SHARED)) {
    const id = `package:${name}`;
    const ns = namespace as { default?: unknown };
    // ES namespace plus `default` and `__esModule`, so webpack's interop in the plugin finds both.
    system.set(id, { ...namespace, default: ns.default ?? namespace, __esModule: true });
    imports[name] = id;
  }
  system.addImportMap({ imports });
}
