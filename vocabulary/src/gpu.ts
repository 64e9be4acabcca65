/**
 * The GPU clock event reasons, as nvidia-smi's XML names them after `clocks_event_reason_`
 * (`clocks_throttle_reason_` on older drivers): the `reason` label of the health pass's
 * series, the simulated GPU node's XML and the alert rules' slowdown selector.
 */
export const CLOCK_EVENT_REASONS = [
  'gpu_idle',
  'applications_clocks_setting',
  'sw_power_cap',
  'hw_slowdown',
  'hw_thermal_slowdown',
  'hw_power_brake_slowdown',
  'sw_thermal_slowdown',
  'sync_boost',
  'display_clocks_setting',
] as const;
export type ClockEventReason = (typeof CLOCK_EVENT_REASONS)[number];
