/**
 * A dashboard from its parts: a stable UID from its slug, the `datasource` and `cluster`
 * variables and the filters it declares, panels numbered 1…n in order, firing alerts as annotations, links to
 * the app and its sibling dashboards.
 */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { WATCHDOG } from '@layerwatch/alert-rules';
import { DASHBOARD_TAG, dashboardLinks } from './links.js';
import type { PanelBuilder } from './panels.js';
import { series } from './promql.js';
import type { DashboardSettings } from './settings.js';
import { stableUid } from './uid.js';
import { DATASOURCE, variables, type FilterVariable } from './variables.js';

export interface DashboardSpec {
  /** Stable: the UID and the generated file name derive from it. */
  readonly slug: string;
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
  /** Filters beyond `datasource` and `cluster`; each must be used by at least one query (linted). */
  readonly variables: readonly FilterVariable[];
  readonly panels: readonly PanelBuilder[];
  /** @default 'now-6h' */
  readonly from?: string;
}

/**
 * Every firing alert of the picked clusters but the always-firing watchdog, as annotations
 * on every time axis.
 */
export function firingAlertsExpr(settings: DashboardSettings): string {
  return series('ALERTS', 'alertstate="firing"', `alertname!="${WATCHDOG}"`, settings.cluster);
}

function alertAnnotations(settings: DashboardSettings): dashboard.AnnotationQueryBuilder {
  return new dashboard.AnnotationQueryBuilder()
    .name('Firing alerts')
    .datasource(DATASOURCE)
    .enable(true)
    .hide(false)
    .iconColor('red')
    .expr(firingAlertsExpr(settings))
    .step('1m')
    .titleFormat('{{alertname}}')
    .textFormat('{{priority}} {{layer}} {{instance}}')
    .tagKeys('priority,layer')
    .useValueForTime(false);
}

export function buildDashboard(
  settings: DashboardSettings,
  spec: DashboardSpec,
): dashboard.Dashboard {
  const builder = new dashboard.DashboardBuilder(spec.title)
    .uid(stableUid(spec.slug))
    .description(spec.description)
    .tags([DASHBOARD_TAG, ...spec.tags])
    .readonly()
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .timezone('browser')
    .time({ from: spec.from ?? 'now-6h', to: 'now' })
    .refresh('1m')
    .links(dashboardLinks())
    .annotation(alertAnnotations(settings));
  for (const variable of variables(settings, spec.variables)) builder.withVariable(variable);
  spec.panels.forEach((panel, index) => builder.withPanel(panel.id(index + 1)));
  return builder.build();
}
