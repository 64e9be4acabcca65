import type { Sample } from './sample-sink.js';

/** The series the handler owns for every probe, whatever the prober (as blackbox_exporter). */
export function sharedSeries(success: boolean, durationSeconds: number): Sample[] {
  return [
    {
      name: 'probe_success',
      help: 'Displays whether or not the probe was a success',
      type: 'gauge',
      value: success ? 1 : 0,
      labels: undefined,
    },
    {
      name: 'probe_duration_seconds',
      help: 'Returns how long the probe took to complete in seconds',
      type: 'gauge',
      value: durationSeconds,
      labels: undefined,
    },
  ];
}
