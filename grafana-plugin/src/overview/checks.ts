import { THRESHOLDS } from '../generated/thresholds.js';

/**
 * The overview as data: one row per layer, each with the runbook's thresholds as checks.
 * A check names one PromQL instant query (shared across rows: each query runs once per
 * refresh) and how to read its vector for the row. Pure, so the component tests and the
 * browser tests read the same thresholds the alert rules use.
 */
export type CheckState = 'ok' | 'warning' | 'critical' | 'nodata';

export interface Sample {
  metric: Record<string, string>;
  value: number;
}

export interface Check {
  key: string;
  label: string;
  query: string;
  /** The row's value from the query's vector, or undefined when it has none. */
  pick: (samples: Sample[]) => number | undefined;
  /** e.g. "≤ 500 ms". */
  target: string;
  format: (value: number) => string;
  evaluate: (value: number) => CheckState;
}

export interface LayerRow {
  layer: string;
  title: string;
  health?: Check;
  checks: Check[];
  budget?: Check;
}

/**
 * A vector selector's matchers with the cluster matcher added: every query of the app
 * carries it, as every dashboard query does.
 */
function sel(...matchers: string[]): string {
  return `{${[...matchers, THRESHOLDS.cluster].join(',')}}`;
}

const P = THRESHOLDS.probes;

/** The Grafana variable the cluster matcher names (`$cluster`). */
const CLUSTER_VARIABLE = /\$cluster\b/g;

/**
 * The query with `$cluster` replaced by the regex the app is set to (as Grafana interpolates
 * a dashboard variable), escaped for a PromQL double-quoted string.
 */
export function withClusterRegex(query: string, clusterRegex: string): string {
  const escaped = clusterRegex.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  return query.replace(CLUSTER_VARIABLE, () => escaped);
}

function byLabel(label: string, value: string, reduce: 'min' | 'max' = 'min') {
  return (samples: Sample[]): number | undefined => {
    const values = samples.filter((s) => s.metric[label] === value).map((s) => s.value);
    if (values.length === 0) return undefined;
    return reduce === 'min' ? Math.min(...values) : Math.max(...values);
  };
}

function single(samples: Sample[]): number | undefined {
  return samples[0]?.value;
}

export function formatMs(seconds: number): string {
  return `${(seconds * 1000).toFixed(seconds < 0.01 ? 1 : 0)} ms`;
}

export function formatPercent(ratio: number, digits = 2): string {
  return `${(ratio * 100).toFixed(digits)} %`;
}

const atMost = (limit: number) => (v: number) => (v <= limit ? 'ok' : 'critical') as CheckState;
const atLeast = (limit: number) => (v: number) => (v >= limit ? 'ok' : 'critical') as CheckState;

function healthCheck(layer: string): Check {
  return {
    key: 'health',
    label: 'Probes',
    query: `min by (layer) (probe_success${sel(P)})`,
    pick: byLabel('layer', layer),
    target: 'all up',
    format: (v) => (v >= 1 ? 'up' : 'down'),
    evaluate: atLeast(1),
  };
}

function availabilityCheck(layer: string): Check {
  const { objective } = THRESHOLDS.availability;
  return {
    key: 'availability',
    label: 'Availability (5m)',
    query: `1 - slo:sli_error:ratio_rate5m${sel('slo="availability"')}`,
    pick: byLabel('layer', layer),
    target: `≥ ${formatPercent(objective, 1)}`,
    format: (v) => formatPercent(v),
    evaluate: atLeast(objective),
  };
}

function budgetCheck(layer: string): Check {
  return {
    key: 'budget',
    label: 'Error budget left',
    query: `slo:period_error_budget_remaining:ratio${sel()}`,
    pick: byLabel('layer', layer),
    target: '> 0 %',
    format: (v) => formatPercent(Math.max(v, -9.99), 1),
    evaluate: (v) => (v <= 0 ? 'critical' : v < 0.25 ? 'warning' : 'ok'),
  };
}

type LatencySlo = (typeof THRESHOLDS.latency)[number];

function latencyQuery(slo: LatencySlo): string {
  const by = ['le', ...slo.by].join(', ');
  return `histogram_quantile(${slo.objective}, sum by (${by}) (rate(${slo.metric}_bucket${sel(slo.selector)}[5m])))`;
}

/** Latency checks of a row: SLOs with a fixed layer, or labelled by the layer they call. */
function latencyChecks(layer: string): Check[] {
  const checks: Check[] = [];
  for (const slo of THRESHOLDS.latency) {
    const pick =
      'value' in slo.layer
        ? slo.layer.value === layer
          ? single
          : undefined
        : byLabel(slo.layer.from, layer, 'max');
    if (!pick) continue;
    const percentile = `p${Math.round(slo.objective * 100)}`;
    checks.push({
      key: slo.name,
      label: `${slo.name.replace(/-/g, ' ')} ${percentile}`,
      query: latencyQuery(slo),
      pick,
      target: `≤ ${formatMs(slo.leSeconds)}`,
      format: formatMs,
      evaluate: atMost(slo.leSeconds),
    });
  }
  return checks;
}

function sharedChecks(): Check[] {
  return [
    {
      key: 'postgres',
      label: 'PostgreSQL ready',
      query: `min(probe_postgres_ready${sel(P)})`,
      pick: single,
      target: 'ready',
      format: (v) => (v >= 1 ? 'ready' : 'not ready'),
      evaluate: atLeast(1),
    },
    {
      key: 'queue',
      label: 'Task queue depth',
      query: `max(probe_redis_queue_length${sel(P, THRESHOLDS.taskQueue)})`,
      pick: single,
      target: `≤ ${THRESHOLDS.queueDepth}`,
      format: (v) => String(Math.round(v)),
      evaluate: atMost(THRESHOLDS.queueDepth),
    },
  ];
}

/** The health pass beside utilisation: lost GPUs, new uncorrectable ECC errors, resets due. */
function gpuHealthChecks(): Check[] {
  const gpu = THRESHOLDS.gpu;
  const none = (what: string) => (v: number) => (v === 0 ? 'none' : `${v} ${what}`);
  const reset = ['remapped_rows_failure', 'remapped_rows_pending', 'retired_pages_pending']
    .map((m) => `(nvidia_smi_${m}${sel(gpu)} == 1)`)
    .join(' or ');
  return [
    {
      key: 'gpu-unreadable',
      label: 'GPUs nvidia-smi cannot read',
      query: `count(nvidia_smi_gpu_readable${sel(gpu)} == 0) or vector(0)`,
      pick: single,
      target: '0',
      format: none('lost'),
      evaluate: atMost(0),
    },
    {
      key: 'gpu-ecc',
      label: 'Uncorrectable ECC errors (1 h)',
      query: `sum(increase(nvidia_smi_ecc_errors_uncorrected_volatile_total${sel(gpu)}[1h])) or vector(0)`,
      pick: single,
      target: '0',
      format: (v) => (v === 0 ? 'none' : String(Math.round(v))),
      evaluate: atMost(0),
    },
    {
      key: 'gpu-reset',
      label: 'GPUs waiting for a reset',
      query: `count(${reset}) or vector(0)`,
      pick: single,
      target: '0',
      format: none('to reset'),
      evaluate: (v) => (v > 0 ? 'warning' : 'ok'),
    },
  ];
}

function gpuRow(): LayerRow {
  const { gpuSaturatedRatio, gpuIdleRatio } = THRESHOLDS;
  return {
    layer: '8',
    title: 'resources (GPU)',
    checks: [
      {
        key: 'gpu-utilization',
        label: 'GPU utilization',
        query: `avg(nvidia_smi_utilization_gpu_ratio${sel(THRESHOLDS.gpu)})`,
        pick: single,
        target: `${formatPercent(gpuIdleRatio, 0)}–${formatPercent(gpuSaturatedRatio, 0)}`,
        format: (v) => formatPercent(v, 0),
        evaluate: (v) => (v > gpuSaturatedRatio ? 'critical' : v < gpuIdleRatio ? 'warning' : 'ok'),
      },
      ...gpuHealthChecks(),
      {
        key: 'gpu-collector',
        label: 'GPU collector',
        query: `min(layerwatch_gpu_collector_up${sel(THRESHOLDS.gpu)})`,
        pick: single,
        target: 'up',
        format: (v) => (v >= 1 ? 'up' : 'down'),
        evaluate: atLeast(1),
      },
    ],
  };
}

function factoryRow(): LayerRow {
  const halt = THRESHOLDS.readinessFailuresToHalt;
  return {
    layer: 'factory',
    title: 'factory pipeline',
    checks: [
      {
        key: 'checksums',
        label: 'Checksum mismatches',
        query: `sum(layerwatch_telemetry_checksum_mismatches${sel(P)})`,
        pick: single,
        target: '0',
        format: (v) => (v === 0 ? 'all match' : `${v} mismatched`),
        evaluate: atMost(0),
      },
      {
        key: 'readiness',
        label: 'Readiness gate failures in a row',
        query: `max(layerwatch_readiness_consecutive_failures${sel(P)})`,
        pick: single,
        target: `< ${halt}`,
        format: (v) => String(v),
        evaluate: (v) => (v >= halt ? 'critical' : v > 0 ? 'warning' : 'ok'),
      },
    ],
  };
}

export function overviewRows(): LayerRow[] {
  const rows: LayerRow[] = THRESHOLDS.layers.map((l) => ({
    layer: l.layer,
    title: l.title,
    health: healthCheck(l.layer),
    checks: [
      availabilityCheck(l.layer),
      ...latencyChecks(l.layer),
      ...(l.layer === 'shared' ? sharedChecks() : []),
    ],
    budget: budgetCheck(l.layer),
  }));
  return [...rows, gpuRow(), factoryRow()];
}

export function allChecks(rows: LayerRow[]): Check[] {
  return rows.flatMap((r) => [
    ...(r.health ? [r.health] : []),
    ...r.checks,
    ...(r.budget ? [r.budget] : []),
  ]);
}

export function evaluateCheck(
  check: Check,
  samples: Sample[] | undefined,
): { state: CheckState; value?: number } {
  const value = samples ? check.pick(samples) : undefined;
  if (value === undefined || Number.isNaN(value)) return { state: 'nodata' };
  return { state: check.evaluate(value), value };
}

/** The worst state wins: a row is as red as its reddest check. */
export function worstState(states: CheckState[]): CheckState {
  const order: CheckState[] = ['critical', 'warning', 'ok', 'nodata'];
  for (const state of order) if (states.includes(state)) return state;
  return 'nodata';
}
