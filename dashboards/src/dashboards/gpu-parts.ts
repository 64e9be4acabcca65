/** What the GPU dashboard's sections share: the series they read and how they name a GPU. */
import { byVariable, series } from '../promql.js';
import type { DashboardSettings } from '../settings.js';

/** Legend of a per-GPU series. */
export const PER_GPU = '{{node}} GPU {{index}}';

/** The matchers of the GPU collector's series: its job, and the picked nodes. */
export type GpuMatchers = readonly [string, string];

/** The GPU collector's series of the picked nodes. */
export function gpusOfNodes(s: DashboardSettings): GpuMatchers {
  return [s.gpu, byVariable('node')];
}

/** One GPU series over another of the picked nodes, per GPU (used memory over total…). */
export function perGpuShare(s: DashboardSettings, part: string, whole: string): string {
  const gpu = gpusOfNodes(s);
  return `${series(part, ...gpu)}\n/\n${series(whole, ...gpu)}`;
}
