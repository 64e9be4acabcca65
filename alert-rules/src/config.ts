/**
 * The `_config` of Layerwatch's rules (kubernetes-mixin style): every selector, threshold,
 * SLO, window, `for:` and priority lives here and nowhere else. Change a value, run
 * `npx layerwatch generate`, commit the regenerated YAML.
 *
 * Names of the exporters' series (issue 3/8) are assumptions until that package lands:
 * each is one line below (`sli.metric`, `sli.selector`).
 */
import type { AlertRulesConfig } from './config-types.js';
import type { ActionName } from './types.js';

const PROBES_JOB = 'layerwatch-probes';
const LAYERS_JOB = 'layerwatch-layers';

/** Action orders shared by several alerts. */
const RESTART_FIRST: readonly ActionName[] = ['restart-deployment', 'silence'];
/** A backlog: more workers first, a restart if they do not help. */
const SCALE_FIRST: readonly ActionName[] = ['scale-deployment', 'restart-deployment', 'silence'];
/** A GPU that needs a reset or a reboot: drain (cordon, then evict) before a bare cordon. */
const DRAIN_FIRST: readonly ActionName[] = ['drain-gpu-node', 'cordon-gpu-node', 'silence'];

export const DEFAULT_CONFIG: AlertRulesConfig = {
  runbookBaseUrl: 'https://github.com/layerwatch/layerwatch/blob/main/alert-rules/runbooks',
  clusterLabel: 'cluster',
  jobs: { probes: PROBES_JOB, layers: LAYERS_JOB, gpuNodes: 'layerwatch-gpu-nodes' },
  selectors: {
    probes: `job="${PROBES_JOB}"`,
    gpu: 'layer="8"',
    taskQueue: 'queue="agent-tasks"',
  },
  layers: [
    {
      layer: '4',
      title: 'execution',
      probeDownPriority: 'P0',
      actions: ['restart-deployment', 'scale-deployment', 'set-batching', 'silence'],
      exporter: true,
    },
    {
      layer: '5',
      title: 'refinement',
      probeDownPriority: 'P1',
      actions: ['restart-deployment', 'debug-logging', 'silence'],
      exporter: true,
    },
    {
      layer: '7',
      title: 'evolution',
      probeDownPriority: 'P1',
      actions: ['rollback-evolution', 'restart-deployment', 'silence'],
      exporter: true,
    },
    {
      layer: 'shared',
      title: 'data stores',
      probeDownPriority: 'P0',
      actions: RESTART_FIRST,
      exporter: false,
    },
  ],
  otherLayers: { probeDownPriority: 'P1', actions: RESTART_FIRST },
  thresholds: {
    queueDepth: 100,
    queueGrowthWindow: '10m',
    gpuSaturatedRatio: 0.95,
    gpuIdleRatio: 0.1,
    gpuIdleQueueDepth: 10,
    gpuStaleAfter: '5m',
    gpuEventWindow: '15m',
    gpuPcieBusyPstate: 2,
    readinessFailuresToHalt: 2,
    taskQueueWaitSeconds: 30,
    taskQueueWaitWindow: '5m',
    validationRejectRatio: 0.5,
    validationMinEnhancements: 20,
    validationWindow: '10m',
  },
  alerts: {
    probeDown: { for: '2m', priority: 'P1', actions: [] }, // priority and actions per layer
    layerProbesAbsent: { for: '10m', priority: 'P2', actions: ['silence'] },
    probeDaemonAbsent: { for: '5m', priority: 'P1', actions: RESTART_FIRST },
    probeDaemonInstanceDown: { for: '3m', priority: 'P1', actions: RESTART_FIRST },
    probeConfigReloadFailed: { for: '10m', priority: 'P2', actions: ['silence'] },
    layerExporterAbsent: { for: '10m', priority: 'P2', actions: RESTART_FIRST },
    redisQueueGrowing: { for: '10m', priority: 'P1', actions: SCALE_FIRST },
    taskQueueWaitHigh: { for: '5m', priority: 'P1', actions: SCALE_FIRST },
    validationGateRejecting: {
      for: '10m',
      priority: 'P2',
      actions: ['rollback-evolution', 'silence'],
    },
    postgresNotReady: { for: '1m', priority: 'P0', actions: RESTART_FIRST },
    gpuSaturated: {
      for: '15m',
      priority: 'P2',
      actions: ['scale-deployment', 'set-batching', 'silence'],
    },
    gpuIdleWhileJobsQueue: {
      for: '15m',
      priority: 'P2',
      actions: ['restart-deployment', 'scale-deployment', 'silence'],
    },
    gpuCollectorDown: { for: '5m', priority: 'P2', actions: ['delete-pod', 'silence'] },
    gpuDataStale: { for: '5m', priority: 'P3', actions: ['delete-pod', 'silence'] },
    gpuNodeDown: { for: '2m', priority: 'P1', actions: ['silence'] },
    // GPU health (issue 17): cordon-gpu-node stops new work reaching the node; drain-gpu-node
    // (cordon, then evict) comes first where the GPU needs a reset or a reboot.
    gpuEccUncorrectable: {
      for: '0s',
      priority: 'P1',
      actions: ['cordon-gpu-node', 'drain-gpu-node', 'silence'],
    },
    gpuNeedsReset: { for: '5m', priority: 'P1', actions: DRAIN_FIRST },
    gpuXidFatal: { for: '0s', priority: 'P0', actions: DRAIN_FIRST },
    gpuXidNeedsReset: { for: '0s', priority: 'P1', actions: DRAIN_FIRST },
    gpuXidApplication: { for: '0s', priority: 'P3', actions: ['silence'] },
    gpuHardwareSlowdown: { for: '10m', priority: 'P2', actions: ['cordon-gpu-node', 'silence'] },
    gpuPcieLinkDegraded: { for: '15m', priority: 'P3', actions: ['silence'] },
    gpuUnreadable: { for: '2m', priority: 'P0', actions: DRAIN_FIRST },
    checksumMismatch: { for: '2m', priority: 'P1', actions: ['silence'] },
    evidenceUnreadable: { for: '5m', priority: 'P2', actions: ['silence'] },
    orphanExports: { for: '15m', priority: 'P2', actions: ['silence'] },
    entriesWithoutSignoff: { for: '1h', priority: 'P3', actions: ['silence'] },
    latestBatchNotExported: { for: '30m', priority: 'P2', actions: ['silence'] },
    ledgerUnparseable: { for: '5m', priority: 'P1', actions: ['silence'] },
    readinessGateFailedTwice: { for: '1m', priority: 'P0', actions: ['silence'] },
    readinessFileInvalid: { for: '10m', priority: 'P2', actions: ['silence'] },
  },
  slos: [
    {
      name: 'availability',
      alert: 'LayerwatchAvailabilityBudgetBurn',
      title: '99.9 % of probes of the layer succeed',
      objective: 0.999,
      sli: { kind: 'probe-success', selector: `job="${PROBES_JOB}"` },
      minEvents: 10,
      actions: RESTART_FIRST,
      layers: ['4', '5', '7', 'shared'],
    },
    {
      name: 'execution-latency',
      alert: 'LayerwatchExecutionLatencyBudgetBurn',
      title: 'layer 4 p95 under 500 ms: 95 % of requests answer within 500 ms',
      objective: 0.95,
      sli: {
        kind: 'latency',
        metric: 'http_server_request_duration_seconds',
        selector: `job="${LAYERS_JOB}",layer="4",http_route!="/metrics"`,
        le: '0.5',
        by: [],
        layer: { value: '4' },
      },
      minEvents: 100,
      actions: ['scale-deployment', 'set-batching', 'restart-deployment', 'silence'],
    },
    {
      name: 'optimization-latency',
      alert: 'LayerwatchOptimizationLatencyBudgetBurn',
      title: 'layer 5 optimisation under 100 ms: 99 % of optimisations within 100 ms',
      objective: 0.99,
      sli: {
        kind: 'latency',
        metric: 'layerwatch_optimization_duration_seconds',
        selector: `job="${LAYERS_JOB}",layer="5"`,
        le: '0.1',
        by: [],
        layer: { value: '5' },
      },
      minEvents: 100,
      actions: ['scale-deployment', 'debug-logging', 'silence'],
    },
    {
      name: 'cross-layer-latency',
      alert: 'LayerwatchCrossLayerLatencyBudgetBurn',
      title: 'cross-layer calls under 50 ms: 99 % of calls between layers within 50 ms',
      objective: 0.99,
      sli: {
        kind: 'latency',
        metric: 'layerwatch_cross_layer_request_duration_seconds',
        selector: `job="${LAYERS_JOB}"`,
        le: '0.05',
        by: ['from_layer', 'to_layer'],
        layer: { from: 'to_layer' },
      },
      minEvents: 100,
      actions: ['debug-logging', 'scale-deployment', 'silence'],
    },
  ],
  burnWindows: [
    { factor: 14.4, long: '1h', short: '5m', for: '2m', priority: 'P0' },
    { factor: 6, long: '6h', short: '30m', for: '15m', priority: 'P1' },
    { factor: 3, long: '1d', short: '2h', for: '1h', priority: 'P2' },
    { factor: 1, long: '3d', short: '6h', for: '3h', priority: 'P3' },
  ],
  sloPeriod: '30d',
  alertmanager: {
    remediationWebhookUrl: 'http://127.0.0.1:9702/alertmanager/webhook',
    resolveTimeout: '5m',
    groupBy: ['alertname', 'layer'],
    timing: {
      P0: { groupWait: '0s', groupInterval: '1m', repeatInterval: '15m' },
      P1: { groupWait: '30s', groupInterval: '5m', repeatInterval: '1h' },
      P2: { groupWait: '1m', groupInterval: '5m', repeatInterval: '4h' },
      P3: { groupWait: '5m', groupInterval: '30m', repeatInterval: '24h' },
    },
    watchdogRepeat: '1m',
    pagers: {
      P0: ['pagerduty', 'opsgenie', 'slack'],
      P1: ['pagerduty', 'opsgenie', 'slack'],
      P2: ['slack', 'email'],
      P3: ['email'],
    },
  },
};
