import React, { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Route, Routes, useLocation } from 'react-router-dom';
import { createTheme, type AppPlugin, type AppPluginMeta, type KeyValue } from '@grafana/data';
import { config, setBackendSrv, setDataSourceSrv } from '@grafana/runtime';
import { Alert, GlobalStyles, ThemeContext } from '@grafana/ui';
import { createBackendSrv } from './backend-srv';
import { createDataSourceSrv, type HostDatasource } from './datasource-srv';
import { shareModules } from './shared';

/** What the host server writes into the page, like Grafana's window.grafanaBootData. */
interface HostBoot {
  pluginId: string;
  user: {
    login: string;
    orgRole: 'Viewer' | 'Editor' | 'Admin';
    permissions: Record<string, boolean>;
  };
  users: Array<{ login: string; role: string }>;
  theme: 'dark' | 'light';
  datasources: HostDatasource[];
}

declare global {
  interface Window {
    layerwatchHostBoot: HostBoot;
    System: Parameters<typeof shareModules>[0];
  }
}

const boot = window.layerwatchHostBoot;
const theme = createTheme({ colors: { mode: boot.theme } });
Object.assign(config, { theme2: theme, theme: theme.v1 });
Object.assign(config.bootData, {
  user: {
    ...config.bootData?.user,
    login: boot.user.login,
    orgRole: boot.user.orgRole,
    permissions: boot.user.permissions,
    isSignedIn: true,
  },
});
setBackendSrv(createBackendSrv());
setDataSourceSrv(createDataSourceSrv(boot.datasources));
shareModules(window.System);

async function loadPlugin(): Promise<{ plugin: AppPlugin; meta: AppPluginMeta }> {
  const response = await fetch(`/api/plugins/${boot.pluginId}/settings`, {
    credentials: 'same-origin',
  });
  if (!response.ok)
    throw new Error(`Plugin settings: HTTP ${response.status} ${await response.text()}`);
  const meta = (await response.json()) as AppPluginMeta;
  // Grafana loads app modules through SystemJS from public/plugins/<id>/module.js.
  const module = (await window.System.import(`/public/plugins/${boot.pluginId}/module.js`)) as {
    plugin: AppPlugin;
  };
  module.plugin.init(meta);
  module.plugin.meta = meta;
  return { plugin: module.plugin, meta };
}

function AppRoot({ plugin, meta }: { plugin: AppPlugin; meta: AppPluginMeta }) {
  const location = useLocation();
  const Root = plugin.root!;
  const query = Object.fromEntries(new URLSearchParams(location.search)) as KeyValue;
  return (
    <Root
      meta={meta}
      basename={`/a/${boot.pluginId}`}
      path={location.pathname}
      query={query}
      onNavChanged={() => undefined}
    />
  );
}

function ConfigPage({ plugin }: { plugin: AppPlugin }) {
  const page = plugin.configPages?.[0];
  if (boot.user.orgRole !== 'Admin')
    return (
      <Alert title="Access denied" severity="error">
        Only an Admin sees the app's configuration.
      </Alert>
    );
  if (!page)
    return (
      <Alert title="No configuration page" severity="error">
        The plugin registers none.
      </Alert>
    );
  const Body = page.body;
  return <Body plugin={plugin} query={{}} />;
}

function Chrome({ children }: { children: React.ReactNode }) {
  const other = boot.theme === 'dark' ? 'light' : 'dark';
  return (
    <div
      style={{
        padding: 16,
        minHeight: '100vh',
        background: theme.colors.background.canvas,
        color: theme.colors.text.primary,
      }}
    >
      <header style={{ display: 'flex', gap: 16, alignItems: 'center', marginBottom: 16 }}>
        <strong>Layerwatch Ops</strong>
        <span style={{ color: theme.colors.text.secondary }}>plugin host (Grafana emulation)</span>
        <nav aria-label="Host" style={{ marginLeft: 'auto', display: 'flex', gap: 12 }}>
          <a href={`/plugins/${boot.pluginId}`}>Configuration</a>
          <a href={`?theme=${other}`}>{other} theme</a>
          <span data-testid="host-user">
            {boot.user.login} ({boot.user.orgRole})
          </span>
        </nav>
      </header>
      {children}
    </div>
  );
}

function Host() {
  const [loaded, setLoaded] = useState<{ plugin: AppPlugin; meta: AppPluginMeta }>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    loadPlugin().then(setLoaded, (e: unknown) =>
      setError(e instanceof Error ? e.message : String(e)),
    );
  }, []);
  return (
    <ThemeContext.Provider value={theme}>
      <GlobalStyles />
      <Chrome>
        {error && (
          <Alert title="The plugin did not load" severity="error">
            {error}
          </Alert>
        )}
        {loaded && (
          <BrowserRouter>
            <Routes>
              <Route
                path="/a/:pluginId/*"
                element={<AppRoot plugin={loaded.plugin} meta={loaded.meta} />}
              />
              <Route path="/plugins/:pluginId" element={<ConfigPage plugin={loaded.plugin} />} />
            </Routes>
          </BrowserRouter>
        )}
      </Chrome>
    </ThemeContext.Provider>
  );
}

createRoot(document.getElementById('root')!).render(<Host />);
