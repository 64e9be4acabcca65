import type { ActionName, Duration, Priority } from './types.js';

/** One platform layer as the probes label it, and how its outage is handled. */
export interface LayerSettings {
  /** The `layer` label value the probe daemon and the exporters write. */
  readonly layer: string;
  /** For humans: `execution`, `refinement`, … */
  readonly title: string;
  /** Priority of its probe-down alert and of nothing else. */
  readonly probeDownPriority: Priority;
  /** Remediation actions that fit an outage of this layer, in the order to try them. */
  readonly actions: readonly ActionName[];
  /** Whether its services embed the exporters (then a missing scrape target alerts). */
  readonly exporter: boolean;
}

/** How long an alert's condition must hold, how urgent it is, and what can be done. */
export interface AlertSettings {
  readonly for: Duration;
  readonly priority: Priority;
  readonly actions: readonly ActionName[];
}

/** The alerts with one priority and `for:` each (probe-down takes its priority per layer). */
export type AlertKey =
  | 'probeDown'
  | 'layerProbesAbsent'
  | 'probeDaemonAbsent'
  | 'probeDaemonInstanceDown'
  | 'probeConfigReloadFailed'
  | 'layerExporterAbsent'
  | 'redisQueueGrowing'
  | 'taskQueueWaitHigh'
  | 'validationGateRejecting'
  | 'postgresNotReady'
  | 'gpuSaturated'
  | 'gpuIdleWhileJobsQueue'
  | 'gpuCollectorDown'
  | 'gpuDataStale'
  | 'gpuNodeDown'
  | 'gpuEccUncorrectable'
  | 'gpuNeedsReset'
  | 'gpuXidFatal'
  | 'gpuXidNeedsReset'
  | 'gpuXidApplication'
  | 'gpuHardwareSlowdown'
  | 'gpuPcieLinkDegraded'
  | 'gpuUnreadable'
  | 'checksumMismatch'
  | 'evidenceUnreadable'
  | 'orphanExports'
  | 'entriesWithoutSignoff'
  | 'latestBatchNotExported'
  | 'ledgerUnparseable'
  | 'readinessGateFailedTwice'
  | 'readinessFileInvalid';

/** The SLI of an SLO: the probes' success, or a latency histogram under a bucket bound. */
export type Sli =
  | {
      readonly kind: 'probe-success';
      /** Matchers on `probe_success` (besides `layer`). */
      readonly selector: string;
    }
  | {
      readonly kind: 'latency';
      /** Histogram base name: `<metric>_bucket` and `<metric>_count` are read. */
      readonly metric: string;
      readonly selector: string;
      /** The bucket bound that is the target, exactly as the `le` label writes it. */
      readonly le: string;
      /** Labels kept apart; `layer` comes from the first one when it is not among them. */
      readonly by: readonly string[];
      /** Static `layer` label, for a histogram without one; or the label to copy it from. */
      readonly layer: { readonly value: string } | { readonly from: string };
    };

export interface SloSettings {
  /** The `slo` label: `availability`, `execution-latency`, … */
  readonly name: string;
  /** The burn-rate alert's name. */
  readonly alert: string;
  /** For humans: "99.9 % of probes succeed". */
  readonly title: string;
  /** Target ratio of good events over the period: 0.999, 0.95 (a p95), … */
  readonly objective: number;
  readonly sli: Sli;
  /** No page on fewer events than this in the long window: one failure of three is no outage. */
  readonly minEvents: number;
  readonly actions: readonly ActionName[];
  /** Only these layers get burn alerts (probe SLOs); latency SLOs name theirs in `sli`. */
  readonly layers?: readonly string[];
}

/** One multi-window burn-rate alert (Google SRE workbook, ch. 5). */
export interface BurnWindow {
  readonly factor: number;
  readonly long: Duration;
  readonly short: Duration;
  readonly for: Duration;
  readonly priority: Priority;
}

/** Alertmanager timing of one priority's route. */
export interface RouteTiming {
  readonly groupWait: Duration;
  readonly groupInterval: Duration;
  readonly repeatInterval: Duration;
}

/** The pagers a deployment can configure (their secrets come from env or a file). */
export const PAGER_KINDS = ['pagerduty', 'opsgenie', 'slack', 'email'] as const;
export type PagerKind = (typeof PAGER_KINDS)[number];

export interface AlertmanagerSettings {
  /** Where every notification also goes (the remediation service's on-call inbox). */
  readonly remediationWebhookUrl: string;
  readonly resolveTimeout: Duration;
  readonly groupBy: readonly string[];
  readonly timing: Readonly<Record<Priority, RouteTiming>>;
  /** The dead-man's switch's heartbeat interval (LayerwatchWatchdog's repeat). */
  readonly watchdogRepeat: Duration;
  /** Which pagers each priority reaches, where the deployment configured them. */
  readonly pagers: Readonly<Record<Priority, readonly PagerKind[]>>;
}

/** Every selector, threshold, SLO and window the rules use: the one place to change them. */
export interface AlertRulesConfig {
  /** Base of every `runbook_url`; the alert's name and `.md` are appended. */
  readonly runbookBaseUrl: string;
  /**
   * The label that tells clusters (or Prometheus servers) apart, as kubernetes-mixin's
   * `clusterLabel`: every aggregation and join of the rules keeps it, so a Thanos or Mimir
   * ruler that sees several clusters keeps their SLOs and absences apart. A Prometheus
   * whose series lack it still works: the label is simply empty.
   * @default 'cluster'
   */
  readonly clusterLabel: string;
  /** Scrape job names; Prometheus configs generated here use the same ones. */
  readonly jobs: {
    readonly probes: string;
    readonly layers: string;
    readonly gpuNodes: string;
  };
  readonly selectors: {
    /** The probe daemon's series: probes, collectors, self-metrics. */
    readonly probes: string;
    /** The GPU collector's series. */
    readonly gpu: string;
    /** The platform's task queue on `probe_redis_queue_length`. */
    readonly taskQueue: string;
  };
  readonly layers: readonly LayerSettings[];
  /** Probe-down priority and actions for a layer not listed above. */
  readonly otherLayers: Omit<LayerSettings, 'layer' | 'title' | 'exporter'>;
  readonly thresholds: {
    readonly queueDepth: number;
    readonly queueGrowthWindow: Duration;
    readonly gpuSaturatedRatio: number;
    readonly gpuIdleRatio: number;
    readonly gpuIdleQueueDepth: number;
    readonly gpuStaleAfter: Duration;
    /** How long an ECC error or an XID keeps its alert firing after it was logged. */
    readonly gpuEventWindow: Duration;
    /** A PCIe generation below its max counts only at this P-state or busier (idle GPUs downshift). */
    readonly gpuPcieBusyPstate: number;
    readonly readinessFailuresToHalt: number;
    /** p95 of `layerwatch_task_queue_wait_duration_seconds` above this pages (a bucket bound). */
    readonly taskQueueWaitSeconds: number;
    /** The window of that p95's rate. */
    readonly taskQueueWaitWindow: Duration;
    /** Share of enhancements the validation gate rejects above which it alerts. */
    readonly validationRejectRatio: number;
    /** Fewer enhancements than this in the window page nobody (two of three is no trend). */
    readonly validationMinEnhancements: number;
    readonly validationWindow: Duration;
  };
  readonly alerts: Readonly<Record<AlertKey, AlertSettings>>;
  readonly slos: readonly SloSettings[];
  readonly burnWindows: readonly BurnWindow[];
  /** The SLO period, for the error budget remaining. */
  readonly sloPeriod: Duration;
  readonly alertmanager: AlertmanagerSettings;
}

/** Overrides for tests and deployments: any field, at any depth, may be left out. */
export type ConfigOverrides = DeepPartial<AlertRulesConfig>;

type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { readonly [K in keyof T]?: DeepPartial<T[K]> }
    : T;
