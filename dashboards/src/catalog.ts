/** The Layerwatch dashboards, in the order the README and the app list them. */
import type { AlertRulesConfig } from '@layerwatch/alert-rules';
import { DEFAULT_CONFIG } from '@layerwatch/alert-rules';
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { buildDashboard, type DashboardSpec } from './dashboard.js';
import { gpuResources } from './dashboards/gpu.js';
import { layer4Performance } from './dashboards/layer4.js';
import { layer5Optimization } from './dashboards/layer5.js';
import { layer7Evolution } from './dashboards/layer7.js';
import { sloOverview } from './dashboards/slo.js';
import { systemHealth } from './dashboards/system-health.js';
import { telemetryIntegrity } from './dashboards/telemetry.js';
import { DashboardSettings } from './settings.js';
import { stableUid } from './uid.js';

export const DASHBOARD_SPECS: readonly ((settings: DashboardSettings) => DashboardSpec)[] = [
  systemHealth,
  layer4Performance,
  layer5Optimization,
  layer7Evolution,
  gpuResources,
  telemetryIntegrity,
  sloOverview,
];

export interface BuiltDashboard {
  readonly slug: string;
  readonly uid: string;
  /** Relative to the dashboards package: `generated/<slug>.json`. */
  readonly file: string;
  readonly dashboard: Dashboard;
}

/** Every dashboard, built from one alert-rules config (the same one the alerts use). */
export function buildDashboards(config: AlertRulesConfig = DEFAULT_CONFIG): BuiltDashboard[] {
  const settings = new DashboardSettings(config);
  const built = DASHBOARD_SPECS.map((make) => {
    const spec = make(settings);
    return {
      slug: spec.slug,
      uid: stableUid(spec.slug),
      file: `generated/${spec.slug}.json`,
      dashboard: buildDashboard(settings, spec),
    };
  });
  const seen = new Map<string, string>();
  for (const { slug, uid } of built) {
    const other = seen.get(uid);
    if (other !== undefined)
      throw new Error(`dashboards ${other} and ${slug} share the UID ${uid}`);
    seen.set(uid, slug);
  }
  return built;
}
