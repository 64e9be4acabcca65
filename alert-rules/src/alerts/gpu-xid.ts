/**
 * Layer 8: XID errors, the NVIDIA driver's error codes in the kernel log, by class. The
 * health pass exports when each code was last logged per GPU
 * (`nvidia_smi_xid_last_timestamp_seconds{xid}`, from the log line), so an XID pages for
 * `gpuEventWindow` after it was logged, and a collector restart does not page again.
 * Why each code is in its class: alert-rules/runbooks/LayerwatchGpuXid*.md.
 */
import { alert } from '../builders.js';
import type { AlertRulesConfig, AlertSettings } from '../config-types.js';
import { seconds } from '../duration.js';
import type { AlertScenario, Duration, GroupCheck, TestedAlert } from '../types.js';
import { GPU, gpuSeries } from './gpu-scenario.js';
import { scenario, span } from './scenario.js';

/** The GPU is gone or every context on it is corrupt: 79 fell off the bus, 95 uncontained ECC. */
export const XID_FATAL = ['79', '95'] as const;
/** The GPU works on but needs a reset (and maybe service): ECC, row remap, NVLink. */
export const XID_NEEDS_RESET = ['48', '63', '64', '74', '94'] as const;
/** An application's fault (bad address, illegal instruction, MMU fault): the GPU is fine. */
export const XID_APPLICATION = ['13', '31', '43'] as const;

const XID_GPU = { ...GPU, pci_bus_id: '00000000:18:00.0' };

export function gpuXidAlerts(config: AlertRulesConfig): TestedAlert[] {
  const sel = config.selectors.gpu;
  const window = seconds(config.thresholds.gpuEventWindow);
  const recent = (codes: readonly string[]) =>
    `time() - nvidia_smi_xid_last_timestamp_seconds{${sel},xid=~"${codes.join('|')}"} < ${window}`;
  const fallen = `label_replace(\n  nvidia_smi_gpu_readable{${sel},reason="fallen_off_the_bus"} == 0,\n  "xid", "fallen_off_the_bus", "", ""\n)`;
  const fatal = config.alerts.gpuXidFatal;
  return [
    alert(config, {
      name: 'LayerwatchGpuXidFatal',
      expr: `${recent(XID_FATAL)}\nor\n${fallen}`,
      for: fatal.for,
      priority: fatal.priority,
      summary: 'A GPU is lost: it fell off the bus or hit an uncontained ECC error.',
      description:
        'GPU {{ $labels.index }} ({{ $labels.pci_bus_id }}) on node {{ $labels.node }}: XID ' +
        '{{ $labels.xid }} (79 or fallen_off_the_bus: the GPU is gone from the PCIe bus; 95: ' +
        'an uncontained ECC error corrupted every context on it). Jobs on it have failed; ' +
        'drain the node and reset the GPU or reboot.',
      actions: fatal.actions,
      scenarios: [
        xidScenario(config, fatal, '79'),
        scenario(
          'nvidia-smi says the GPU has fallen off the bus',
          [
            gpuSeries(
              config,
              'nvidia_smi_gpu_readable',
              { ...XID_GPU, reason: 'fallen_off_the_bus' },
              `_ _ 0x${span(fatal.for)}`,
            ),
          ],
          '2m',
          { ...XID_GPU, reason: 'fallen_off_the_bus', xid: 'fallen_off_the_bus' },
        ),
      ],
    }),
    xidAlert(config, {
      name: 'LayerwatchGpuXidNeedsReset',
      settings: config.alerts.gpuXidNeedsReset,
      expr: recent(XID_NEEDS_RESET),
      code: '48',
      summary: 'A GPU logged an XID that needs a reset: ECC, row remap or NVLink.',
      description:
        'GPU {{ $labels.index }} ({{ $labels.pci_bus_id }}) on node {{ $labels.node }} logged ' +
        'XID {{ $labels.xid }} (48: double-bit ECC error; 63/64: a row remap or page ' +
        'retirement recorded/failed; 74: NVLink error; 94: contained ECC error, one ' +
        'application killed). The GPU runs on but needs a reset: drain it when its jobs end.',
    }),
    xidAlert(config, {
      name: 'LayerwatchGpuXidApplication',
      settings: config.alerts.gpuXidApplication,
      expr: recent(XID_APPLICATION),
      code: '13',
      summary: 'An application faulted on a GPU (XID 13, 31 or 43); the GPU is fine.',
      description:
        'A process on GPU {{ $labels.index }} ({{ $labels.pci_bus_id }}) of node ' +
        '{{ $labels.node }} hit XID {{ $labels.xid }} (13: graphics engine exception, 31: ' +
        'MMU fault, 43: the driver stopped a faulting context): a bug or bad input in that ' +
        'job, not a hardware fault.',
    }),
  ];
}

interface XidAlert {
  readonly name: string;
  readonly settings: AlertSettings;
  readonly expr: string;
  readonly code: string;
  readonly summary: string;
  readonly description: string;
}

function xidAlert(config: AlertRulesConfig, spec: XidAlert): TestedAlert {
  return alert(config, {
    name: spec.name,
    expr: spec.expr,
    for: spec.settings.for,
    priority: spec.settings.priority,
    summary: spec.summary,
    description: spec.description,
    actions: spec.settings.actions,
    scenarios: [xidScenario(config, spec.settings, spec.code)],
  });
}

/** XID `code` logged at minute 2 (the series appears with its log time then). */
function xidScenario(
  config: AlertRulesConfig,
  settings: AlertSettings,
  code: string,
): AlertScenario {
  const labels = { ...XID_GPU, xid: code };
  return scenario(
    `XID ${code} is logged`,
    [
      gpuSeries(
        config,
        'nvidia_smi_xid_last_timestamp_seconds',
        labels,
        `_ _ 120x${span(settings.for, seconds(config.thresholds.gpuEventWindow) / 60)}`,
      ),
    ],
    '2m',
    labels,
  );
}

/** XIDs of one class page nobody for another; an old XID (a restart re-read it) pages nobody. */
export function gpuXidChecks(config: AlertRulesConfig): GroupCheck[] {
  const window = seconds(config.thresholds.gpuEventWindow);
  const long = span('30m', window / 60);
  const logged = (code: string, values: string) =>
    gpuSeries(config, 'nvidia_smi_xid_last_timestamp_seconds', { ...XID_GPU, xid: code }, values);
  const after: Duration = `${Math.ceil(window / 60) + 1}m`;
  return [
    {
      kind: 'quiet',
      name: 'an application XID 13 is not a lost GPU',
      input: [logged('13', `_ _ 120x${long}`)],
      evalTimes: ['2m', '5m'],
      alertname: 'LayerwatchGpuXidFatal',
    },
    {
      kind: 'quiet',
      name: 'an application XID 13 does not ask for a reset',
      input: [logged('13', `_ _ 120x${long}`)],
      evalTimes: ['2m', '5m'],
      alertname: 'LayerwatchGpuXidNeedsReset',
    },
    {
      kind: 'quiet',
      name: `an XID 79 logged more than ${config.thresholds.gpuEventWindow} ago pages nobody`,
      input: [logged('79', `0x${long}`)],
      evalTimes: [after, '30m'],
      alertname: 'LayerwatchGpuXidFatal',
    },
  ];
}
