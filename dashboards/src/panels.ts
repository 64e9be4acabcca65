/**
 * The panel kit: one spec shape for every panel, so that no panel can be written without a
 * description, a unit, its queries on the `datasource` variable, a runbook link and a link
 * to the app. The visualisation is picked by `kind`; everything else is shared.
 */
import * as bargauge from '@grafana/grafana-foundation-sdk/bargauge';
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as statetimeline from '@grafana/grafana-foundation-sdk/statetimeline';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { panelLinks, type PluginPage } from './links.js';
import type { DashboardSettings } from './settings.js';
import { DATASOURCE } from './variables.js';

/** Grafana unit ids the dashboards use. */
export type Unit =
  | 's'
  | 'percentunit'
  | 'reqps'
  | 'ops'
  | 'short'
  | 'none'
  | 'bytes'
  | 'celsius'
  | 'watt'
  | 'currencyUSD'
  | 'dateTimeFromNow';

export type Color = 'green' | 'yellow' | 'orange' | 'red' | 'blue' | 'text';

/** Grafana thresholds: `base` below the first step, each step's color from its value up. */
export interface Thresholds {
  readonly base: Color;
  readonly steps: readonly { readonly value: number; readonly color: Color }[];
}

/** Good below `limit`, bad from it up (latency, queue depth, temperature…). */
export function badFrom(limit: number, bad: Color = 'red'): Thresholds {
  return { base: 'green', steps: [{ value: limit, color: bad }] };
}

/** Bad below `target`, good from it up (availability, budget remaining…). */
export function goodFrom(target: number, bad: Color = 'red'): Thresholds {
  return { base: bad, steps: [{ value: target, color: 'green' }] };
}

export interface Query {
  readonly expr: string;
  /** Legend template, e.g. `{{layer}}`. */
  readonly legend?: string;
  /** One evaluation at the range's end (stats and tables), not a range. */
  readonly instant?: boolean;
  readonly format?: 'table';
}

/** Display text (and color) per value: `{ 0: ['DOWN', 'red'], 1: ['UP', 'green'] }`. */
export type ValueTexts = Readonly<Record<string, readonly [text: string, color: Color]>>;

export type PanelKind = 'timeseries' | 'stat' | 'bargauge' | 'state' | 'table';

export interface PanelSpec {
  readonly kind: PanelKind;
  readonly title: string;
  /** What the panel shows and how to read it: the panel's (i) tooltip. */
  readonly description: string;
  readonly unit: Unit;
  readonly queries: readonly [Query, ...Query[]];
  /** Alerts whose runbooks explain what this panel shows going wrong (names are checked). */
  readonly alerts: readonly [string, ...string[]];
  /** @default 'alerts' */
  readonly page?: PluginPage;
  readonly thresholds?: Thresholds;
  readonly mappings?: ValueTexts;
  readonly min?: number;
  readonly max?: number;
  readonly decimals?: number;
  /** Shown instead of "No data", e.g. `0` for a count of firing alerts. */
  readonly noValue?: string;
  /** Width in grid columns (of 24). @default 12 */
  readonly span?: number;
  /** @default 8 */
  readonly height?: number;
}

/** What every SDK panel builder offers; the kit drives them through this. */
export interface PanelBuilder extends cog.Builder<dashboard.Panel> {
  id(id: number): this;
  title(title: string): this;
  description(description: string): this;
  datasource(datasource: common.DataSourceRef): this;
  withTarget(target: cog.Builder<cog.Dataquery>): this;
  unit(unit: string): this;
  links(links: cog.Builder<dashboard.DashboardLink>[]): this;
  thresholds(thresholds: cog.Builder<dashboard.ThresholdsConfig>): this;
  mappings(mappings: dashboard.ValueMapping[]): this;
  min(min: number): this;
  max(max: number): this;
  decimals(decimals: number): this;
  noValue(noValue: string): this;
  span(span: number): this;
  height(height: number): this;
}

const REF_IDS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

function target(query: Query, index: number): prometheus.DataqueryBuilder {
  const builder = new prometheus.DataqueryBuilder()
    .datasource(DATASOURCE)
    .refId(REF_IDS.charAt(index))
    .expr(query.expr)
    .editorMode(prometheus.QueryEditorMode.Code)
    .legendFormat(query.legend ?? '__auto');
  if (query.instant === true) builder.instant();
  else builder.range();
  if (query.format === 'table') builder.format(prometheus.PromQueryFormat.Table);
  return builder;
}

function thresholdsOf(spec: Thresholds): dashboard.ThresholdsConfigBuilder {
  return new dashboard.ThresholdsConfigBuilder()
    .mode(dashboard.ThresholdsMode.Absolute)
    .steps([{ value: null, color: spec.base }, ...spec.steps.map((s) => ({ ...s }))]);
}

function mappingsOf(texts: ValueTexts): dashboard.ValueMapping[] {
  const options: Record<string, dashboard.ValueMappingResult> = {};
  Object.entries(texts).forEach(([value, [text, color]], index) => {
    options[value] = { text, color, index };
  });
  return [{ type: dashboard.MappingType.ValueToText, options }];
}

function lastValue(): common.ReduceDataOptionsBuilder {
  return new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false);
}

/** The visualisation's own builder, with its kind-specific options. */
function visualisation(spec: PanelSpec): PanelBuilder {
  switch (spec.kind) {
    case 'timeseries': {
      const style = spec.thresholds
        ? common.GraphThresholdsStyleMode.Dashed
        : common.GraphThresholdsStyleMode.Off;
      return new timeseries.PanelBuilder()
        .thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(style))
        .legend(
          new common.VizLegendOptionsBuilder()
            .showLegend(true)
            .displayMode(common.LegendDisplayMode.List)
            .placement(common.LegendPlacement.Bottom),
        )
        .tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi));
    }
    case 'stat':
      return new stat.PanelBuilder()
        .reduceOptions(lastValue())
        .colorMode(common.BigValueColorMode.Background)
        .graphMode(common.BigValueGraphMode.None);
    case 'bargauge':
      return new bargauge.PanelBuilder()
        .reduceOptions(lastValue())
        .displayMode(common.BarGaugeDisplayMode.Gradient)
        .orientation(common.VizOrientation.Horizontal);
    case 'state':
      return new statetimeline.PanelBuilder()
        .showValue(common.VisibilityMode.Never)
        .mergeValues(true);
    case 'table':
      return new table.PanelBuilder();
  }
}

/** A panel from its spec. Its `id` and position are set when the dashboard is assembled. */
export function panel(settings: DashboardSettings, spec: PanelSpec): PanelBuilder {
  const where = `panel ${JSON.stringify(spec.title)}`;
  if (spec.description.trim().length < 20) {
    throw new Error(`${where}: describe what it shows and how to read it (a sentence or two)`);
  }
  if (spec.queries.length > REF_IDS.length) throw new Error(`${where}: too many queries`);
  const builder = visualisation(spec)
    .title(spec.title)
    .description(spec.description)
    .datasource(DATASOURCE)
    .unit(spec.unit)
    .links(panelLinks(settings, spec.alerts, spec.page ?? 'alerts'))
    .span(spec.span ?? 12)
    .height(spec.height ?? 8);
  spec.queries.forEach((query, index) => builder.withTarget(target(query, index)));
  if (spec.thresholds) builder.thresholds(thresholdsOf(spec.thresholds));
  if (spec.mappings) builder.mappings(mappingsOf(spec.mappings));
  if (spec.min !== undefined) builder.min(spec.min);
  if (spec.max !== undefined) builder.max(spec.max);
  if (spec.decimals !== undefined) builder.decimals(spec.decimals);
  if (spec.noValue !== undefined) builder.noValue(spec.noValue);
  return builder;
}

/** A spec without its `kind`: what the named builders below take. */
export type KindlessSpec = Omit<PanelSpec, 'kind'>;

function ofKind(
  kind: PanelKind,
): (settings: DashboardSettings, spec: KindlessSpec) => PanelBuilder {
  return (settings, spec) => panel(settings, { ...spec, kind });
}

/** One named builder per visualisation, so that a panel reads as what it draws. */
export const timeseriesPanel = ofKind('timeseries');
export const statPanel = ofKind('stat');
export const bargaugePanel = ofKind('bargauge');
export const statePanel = ofKind('state');
export const tablePanel = ofKind('table');

/** A series over the dashboard's range, for time series and state timelines. */
export function overTime(expr: string, legend: string): Query {
  return { expr, legend };
}

/** One evaluation at the range's end, for stats and bar gauges. */
export function instant(expr: string, legend?: string): Query {
  return legend === undefined ? { expr, instant: true } : { expr, legend, instant: true };
}

/** One evaluation at the range's end, as table rows. */
export function tableRows(expr: string): Query {
  return { expr, instant: true, format: 'table' };
}

/** UP/DOWN for a 0/1 success series. */
export const UP_DOWN: ValueTexts = { 0: ['DOWN', 'red'], 1: ['UP', 'green'] };
/** YES/NO for a 0/1 flag where 1 is good. */
export const YES_NO: ValueTexts = { 0: ['NO', 'red'], 1: ['YES', 'green'] };

/** A 0/1 series where 1 is good: green from 1, its values shown as `texts`. */
export function flag(texts: ValueTexts): Pick<PanelSpec, 'thresholds' | 'mappings'> {
  return { thresholds: goodFrom(1), mappings: texts };
}

/** A share of a whole, drawn from 0 to 100 %. */
export const SHARE = { unit: 'percentunit', min: 0, max: 1 } as const satisfies Partial<PanelSpec>;

/** A count that is 0 while all is well: red from 1. */
export const ZERO_WHEN_HEALTHY = {
  unit: 'none',
  thresholds: badFrom(1),
} as const satisfies Partial<PanelSpec>;

/** A list that a spec requires to be non-empty, checked where it comes from config. */
export function atLeastOne<T>(items: readonly T[], what: string): [T, ...T[]] {
  const [first, ...rest] = items;
  if (first === undefined) throw new Error(`${what}: the list is empty`);
  return [first, ...rest];
}
