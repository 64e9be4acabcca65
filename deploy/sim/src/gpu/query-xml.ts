import { CLOCK_EVENT_REASONS } from '@layerwatch/vocabulary';
import type { GpuReading } from './model.js';

/**
 * `nvidia-smi -q -x` for the simulated GPUs: the sections the health pass reads, laid out as
 * a v12 driver lays them out (see ../shared/fixtures/nvidia-smi/xml), newer names
 * (`clocks_event_reasons`). A GPU that fell off the bus prints `[Unknown Error]` values.
 */
const REASONS = CLOCK_EVENT_REASONS;

const active = (on: boolean): string => (on ? 'Active' : 'Not Active');

function reasons(gpu: GpuReading): string {
  const state: Record<(typeof REASONS)[number], boolean> = {
    gpu_idle: gpu.idle,
    applications_clocks_setting: false,
    sw_power_cap: false,
    hw_slowdown: gpu.hwThermalSlowdown,
    hw_thermal_slowdown: gpu.hwThermalSlowdown,
    hw_power_brake_slowdown: false,
    sync_boost: false,
    sw_thermal_slowdown: false,
    display_clocks_setting: false,
  };
  const lines = REASONS.map(
    (r) => `      <clocks_event_reason_${r}>${active(state[r])}</clocks_event_reason_${r}>`,
  );
  return `    <clocks_event_reasons>\n${lines.join('\n')}\n    </clocks_event_reasons>`;
}

function eccCounts(gpu: GpuReading): string {
  const block = (name: string): string =>
    [
      `      <${name}>`,
      `        <sram_correctable>0</sram_correctable>`,
      `        <sram_uncorrectable>0</sram_uncorrectable>`,
      `        <dram_correctable>${gpu.counters.eccCorrectable}</dram_correctable>`,
      `        <dram_uncorrectable>${gpu.counters.eccUncorrectable}</dram_uncorrectable>`,
      `      </${name}>`,
    ].join('\n');
  return `    <ecc_errors>\n${block('volatile')}\n${block('aggregate')}\n    </ecc_errors>`;
}

function readableGpu(gpu: GpuReading): string {
  const { spec } = gpu;
  const pending = gpu.counters.eccUncorrectable > 0 ? 'Yes' : 'No';
  return [
    `    <product_name>${spec.name}</product_name>`,
    `    <uuid>${spec.uuid}</uuid>`,
    `    <minor_number>${spec.index}</minor_number>`,
    '    <pci>',
    `      <pci_bus_id>${spec.busId}</pci_bus_id>`,
    '      <pci_gpu_link_info>',
    '        <pcie_gen>',
    `          <max_link_gen>${spec.pcie.gen}</max_link_gen>`,
    `          <current_link_gen>${spec.pcie.gen}</current_link_gen>`,
    '        </pcie_gen>',
    '        <link_widths>',
    `          <max_link_width>${spec.pcie.width}x</max_link_width>`,
    `          <current_link_width>${spec.pcie.width}x</current_link_width>`,
    '        </link_widths>',
    '      </pci_gpu_link_info>',
    '      <replay_counter>0</replay_counter>',
    '      <replay_rollover_counter>0</replay_rollover_counter>',
    '    </pci>',
    `    <performance_state>P${gpu.pstate}</performance_state>`,
    reasons(gpu),
    '    <ecc_mode>\n      <current_ecc>Enabled</current_ecc>\n      <pending_ecc>Enabled</pending_ecc>\n    </ecc_mode>',
    eccCounts(gpu),
    '    <retired_pages>N/A</retired_pages>',
    '    <remapped_rows>',
    '      <remapped_row_corr>0</remapped_row_corr>',
    `      <remapped_row_unc>${gpu.counters.eccUncorrectable}</remapped_row_unc>`,
    `      <remapped_row_pending>${pending}</remapped_row_pending>`,
    '      <remapped_row_failure>No</remapped_row_failure>',
    '    </remapped_rows>',
    `    <temperature>\n      <gpu_temp>${gpu.temperatureGpu} C</gpu_temp>\n    </temperature>`,
  ].join('\n');
}

/** What a driver prints for a GPU it lost: identity where it still has it, errors elsewhere. */
function lostGpu(gpu: GpuReading): string {
  return [
    `    <product_name>${gpu.spec.name}</product_name>`,
    `    <uuid>${gpu.spec.uuid}</uuid>`,
    '    <pci>\n      <pci_bus_id>' + gpu.spec.busId + '</pci_bus_id>\n    </pci>',
    '    <performance_state>[Unknown Error]</performance_state>',
    '    <ecc_mode>\n      <current_ecc>[Unknown Error]</current_ecc>\n      <pending_ecc>[Unknown Error]</pending_ecc>\n    </ecc_mode>',
    `    <temperature>\n      <gpu_temp>[Unknown Error]</gpu_temp>\n    </temperature>`,
  ].join('\n');
}

export function queryXml(gpus: readonly GpuReading[], driverVersion: string, now: Date): string {
  const body = gpus.map(
    (gpu) =>
      `  <gpu id="${gpu.spec.busId}">\n${gpu.readable ? readableGpu(gpu) : lostGpu(gpu)}\n  </gpu>`,
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE nvidia_smi_log SYSTEM "nvsmi_device_v12.dtd">',
    '<nvidia_smi_log>',
    `  <timestamp>${now.toUTCString()}</timestamp>`,
    `  <driver_version>${driverVersion}</driver_version>`,
    `  <attached_gpus>${gpus.length}</attached_gpus>`,
    ...body,
    '</nvidia_smi_log>',
    '',
  ].join('\n');
}
