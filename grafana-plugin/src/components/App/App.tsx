import React, { useMemo } from 'react';
import { Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import type { AppRootProps } from '@grafana/data';
import { Tab, TabsBar } from '@grafana/ui';
import { PAGE_TITLES, ROUTES, prefixRoute } from '../../constants';
import { Alerts } from '../../pages/Alerts';
import { Audit } from '../../pages/Audit';
import { Overview } from '../../pages/Overview';
import { Pages } from '../../pages/Pages';
import { testIds } from '../../testIds';
import type { AppJsonData } from '../../types';
import { SettingsContext, settingsFrom } from '../AppContext';

const TABS = [ROUTES.Overview, ROUTES.Alerts, ROUTES.Audit, ROUTES.Pages];

/** The app's root page: tabs for its pages, each page under /a/layerwatch-ops-app/<page>. */
export default function App({ meta }: AppRootProps<AppJsonData>) {
  const settings = useMemo(() => settingsFrom(meta.jsonData), [meta.jsonData]);
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const current = TABS.find((t) => pathname.startsWith(prefixRoute(t))) ?? ROUTES.Overview;
  return (
    <SettingsContext.Provider value={settings}>
      <div data-testid={testIds.app.container}>
        <TabsBar data-testid={testIds.app.nav}>
          {TABS.map((t) => (
            <Tab
              key={t}
              label={PAGE_TITLES[t]}
              active={t === current}
              onChangeTab={() => navigate(prefixRoute(t))}
            />
          ))}
        </TabsBar>
        <main aria-label={PAGE_TITLES[current]} style={{ paddingTop: 16 }}>
          <Routes>
            <Route path={ROUTES.Alerts} element={<Alerts />} />
            <Route path={ROUTES.Audit} element={<Audit />} />
            <Route path={ROUTES.Pages} element={<Pages />} />
            <Route path="*" element={<Overview />} />
          </Routes>
        </main>
      </div>
    </SettingsContext.Provider>
  );
}
