/**
 * Layer 8, the GPU's own health (the GPU collector's health pass, `nvidia-smi -q -x`):
 * uncorrectable ECC errors, a GPU that needs a reset for its memory, hardware slowdowns, a
 * PCIe link that trained down, a GPU the collector cannot read.
 */
import { alert } from '../builders.js';
import { by } from '../cluster.js';
import type { AlertRulesConfig } from '../config-types.js';
import { seconds } from '../duration.js';
import type { GroupCheck, TestedAlert } from '../types.js';
import { GPU, gpuSeries } from './gpu-scenario.js';
import { scenario, span } from './scenario.js';

/** The labels that name one GPU, for aggregations that keep GPUs apart. */
const GPU_LABELS = ['node', 'layer', 'uuid', 'index'];

export function gpuHealthAlerts(config: AlertRulesConfig): TestedAlert[] {
  return [
    eccUncorrectable(config),
    needsReset(config),
    hardwareSlowdown(config),
    pcieLinkDegraded(config),
    unreadable(config),
  ];
}

function eccUncorrectable(config: AlertRulesConfig): TestedAlert {
  const settings = config.alerts.gpuEccUncorrectable;
  const window = config.thresholds.gpuEventWindow;
  const n = span(settings.for, seconds(window) / 60);
  return alert(config, {
    name: 'LayerwatchGpuEccUncorrectableErrors',
    expr: `sum ${by(config, GPU_LABELS)} (\n  increase(nvidia_smi_ecc_errors_uncorrected_volatile_total{${config.selectors.gpu}}[${window}])\n) > 0`,
    for: settings.for,
    priority: settings.priority,
    summary: 'A GPU reports new uncorrectable ECC errors.',
    description:
      'GPU {{ $labels.index }} ({{ $labels.uuid }}) on node {{ $labels.node }} counted ' +
      `uncorrectable ECC errors in the last ${window}: the work that read that memory got ` +
      'wrong data or was killed (XID 48/94/95), and the memory needs a row remap or page ' +
      'retirement at the next reset.',
    actions: settings.actions,
    scenarios: [
      scenario(
        'a double-bit error in device memory',
        [
          gpuSeries(
            config,
            'nvidia_smi_ecc_errors_uncorrected_volatile_total',
            { ...GPU, location: 'dram' },
            `0 0 1x${n}`,
          ),
        ],
        '2m',
        GPU,
      ),
    ],
  });
}

function needsReset(config: AlertRulesConfig): TestedAlert {
  const settings = config.alerts.gpuNeedsReset;
  const sel = config.selectors.gpu;
  const cause = (metric: string, name: string) =>
    `label_replace(${metric}{${sel}} == 1, "cause", "${name}", "", "")`;
  const n = span(settings.for);
  const tripped = (metric: string, name: string) =>
    scenario(`${metric} turns 1`, [gpuSeries(config, metric, GPU, `0 0 1x${n}`)], '2m', {
      ...GPU,
      cause: name,
    });
  return alert(config, {
    name: 'LayerwatchGpuNeedsReset',
    expr: [
      cause('nvidia_smi_remapped_rows_failure', 'row_remap_failure'),
      cause('nvidia_smi_remapped_rows_pending', 'row_remap_pending'),
      cause('nvidia_smi_retired_pages_pending', 'page_retirement_pending'),
    ].join('\nor\n'),
    for: settings.for,
    priority: settings.priority,
    summary: 'A GPU needs a reset to take bad memory out of use.',
    description:
      'GPU {{ $labels.index }} ({{ $labels.uuid }}) on node {{ $labels.node }}: ' +
      '{{ $labels.cause }}. Until the GPU is reset the bad memory stays in use (pending) or ' +
      'cannot be replaced any more (failure: the GPU needs service): drain the node.',
    actions: settings.actions,
    scenarios: [
      tripped('nvidia_smi_remapped_rows_failure', 'row_remap_failure'),
      tripped('nvidia_smi_remapped_rows_pending', 'row_remap_pending'),
      tripped('nvidia_smi_retired_pages_pending', 'page_retirement_pending'),
    ],
  });
}

const HW_SLOWDOWNS = 'hw_thermal_slowdown|hw_power_brake_slowdown';

function hardwareSlowdown(config: AlertRulesConfig): TestedAlert {
  const settings = config.alerts.gpuHardwareSlowdown;
  const labels = { ...GPU, reason: 'hw_thermal_slowdown' };
  return alert(config, {
    name: 'LayerwatchGpuHardwareSlowdown',
    expr: `nvidia_smi_clocks_event_reason_active{${config.selectors.gpu},reason=~"${HW_SLOWDOWNS}"} == 1`,
    for: settings.for,
    priority: settings.priority,
    summary: 'The hardware holds a GPU’s clocks down: too hot, or the power supply brakes it.',
    description:
      'GPU {{ $labels.index }} ({{ $labels.uuid }}) on node {{ $labels.node }} has run with ' +
      `{{ $labels.reason }} active for ${settings.for}: its clocks are cut by the hardware ` +
      '(cooling or power delivery), not by a limit anyone set.',
    actions: settings.actions,
    scenarios: [
      scenario(
        'thermal slowdown holds',
        [
          gpuSeries(
            config,
            'nvidia_smi_clocks_event_reason_active',
            labels,
            `0 0 1x${span(settings.for)}`,
          ),
        ],
        '2m',
        labels,
      ),
    ],
  });
}

function pcieLinkDegraded(config: AlertRulesConfig): TestedAlert {
  const settings = config.alerts.gpuPcieLinkDegraded;
  const sel = config.selectors.gpu;
  const busy = config.thresholds.gpuPcieBusyPstate;
  const n = span(settings.for);
  const series = (metric: string, values: string) => gpuSeries(config, metric, GPU, values);
  return alert(config, {
    name: 'LayerwatchGpuPcieLinkDegraded',
    expr: [
      `label_replace(\n  nvidia_smi_pcie_link_width_current{${sel}} < nvidia_smi_pcie_link_width_max{${sel}},\n  "link", "width", "", ""\n)`,
      'or',
      // An idle GPU lowers its link generation to save power: only a busy one counts.
      `label_replace(\n  (nvidia_smi_pcie_link_gen_current{${sel}} < nvidia_smi_pcie_link_gen_max{${sel}})\n  and nvidia_smi_pstate{${sel}} <= ${busy},\n  "link", "generation", "", ""\n)`,
    ].join('\n'),
    for: settings.for,
    priority: settings.priority,
    summary: 'A GPU’s PCIe link runs below its width or generation.',
    description:
      'GPU {{ $labels.index }} ({{ $labels.uuid }}) on node {{ $labels.node }} has had its ' +
      `PCIe link {{ $labels.link }} at {{ $value }}, below its maximum, for ${settings.for}: ` +
      'host transfers are slower (a reseated card, a riser or a slot that trained down).',
    actions: settings.actions,
    scenarios: [
      scenario(
        'the link trains down to x8 of x16',
        [
          series('nvidia_smi_pcie_link_width_current', `16 16 8x${n}`),
          series('nvidia_smi_pcie_link_width_max', `16x${n}`),
        ],
        '2m',
        { ...GPU, link: 'width' },
        8,
      ),
      scenario(
        'a busy GPU at generation 3 of 4',
        [
          series('nvidia_smi_pcie_link_gen_current', `4 4 3x${n}`),
          series('nvidia_smi_pcie_link_gen_max', `4x${n}`),
          series('nvidia_smi_pstate', `0x${n}`),
        ],
        '2m',
        { ...GPU, link: 'generation' },
        3,
      ),
    ],
  });
}

function unreadable(config: AlertRulesConfig): TestedAlert {
  const settings = config.alerts.gpuUnreadable;
  const labels = { ...GPU, pci_bus_id: '00000000:18:00.0' };
  const lost = { ...labels, reason: 'gpu_lost' };
  const n = span(settings.for);
  return alert(config, {
    name: 'LayerwatchGpuUnreadable',
    // Fallen off the bus pages as an XID-class loss (gpu-xid.ts), not twice.
    expr: `nvidia_smi_gpu_readable{${config.selectors.gpu},reason!="fallen_off_the_bus"} == 0`,
    for: settings.for,
    priority: settings.priority,
    summary: 'nvidia-smi cannot read a GPU: it is lost to the node.',
    description:
      'nvidia-smi on node {{ $labels.node }} has not been able to read GPU ' +
      '{{ $labels.index }} ({{ $labels.pci_bus_id }}) for ' +
      `${settings.for} ({{ $labels.reason }}): work on it has failed, and the GPU needs a ` +
      'reset or the node a reboot.',
    actions: settings.actions,
    scenarios: [
      scenario(
        'the GPU is lost',
        [
          gpuSeries(config, 'nvidia_smi_gpu_readable', labels, '1 1'),
          gpuSeries(config, 'nvidia_smi_gpu_readable', lost, `_ _ 0x${n}`),
        ],
        '2m',
        lost,
      ),
    ],
  });
}

/** Cases that must stay silent beyond the builder's "not yet at the boundary" checks. */
export function gpuHealthChecks(config: AlertRulesConfig): GroupCheck[] {
  const long = span('30m');
  return [
    {
      kind: 'quiet',
      name: 'corrected ECC errors alone page nobody',
      input: [
        gpuSeries(
          config,
          'nvidia_smi_ecc_errors_corrected_volatile_total',
          { ...GPU, location: 'dram' },
          `0+5x${long}`,
        ),
        gpuSeries(
          config,
          'nvidia_smi_ecc_errors_uncorrected_volatile_total',
          { ...GPU, location: 'dram' },
          `3x${long}`,
        ),
      ],
      evalTimes: ['5m', '20m'],
      alertname: 'LayerwatchGpuEccUncorrectableErrors',
    },
    {
      kind: 'quiet',
      name: 'an idle GPU at generation 1 of 4 is saving power, not degraded',
      input: [
        gpuSeries(config, 'nvidia_smi_pcie_link_gen_current', GPU, `1x${long}`),
        gpuSeries(config, 'nvidia_smi_pcie_link_gen_max', GPU, `4x${long}`),
        gpuSeries(config, 'nvidia_smi_pcie_link_width_current', GPU, `16x${long}`),
        gpuSeries(config, 'nvidia_smi_pcie_link_width_max', GPU, `16x${long}`),
        gpuSeries(config, 'nvidia_smi_pstate', GPU, `8x${long}`),
      ],
      evalTimes: ['20m', '30m'],
      alertname: 'LayerwatchGpuPcieLinkDegraded',
    },
    {
      kind: 'quiet',
      name: 'a software power cap is a setting, not a hardware slowdown',
      input: [
        gpuSeries(
          config,
          'nvidia_smi_clocks_event_reason_active',
          { ...GPU, reason: 'sw_power_cap' },
          `1x${long}`,
        ),
      ],
      evalTimes: ['20m'],
      alertname: 'LayerwatchGpuHardwareSlowdown',
    },
  ];
}
