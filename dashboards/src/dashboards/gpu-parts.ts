/** What the GPU dashboard's sections share: the series they read and how they name a GPU. */
import { byVariable, series } from '../promql.js';
import type { DashboardSettings } from '../settings.js';

/** Legend of a per-GPU series. */
export const PER_GPU = '{{node}} GPU {{index}}';

/** The GPU collector's series of the picked nodes. */
export function gpusOfNodes(s: DashboardSettings): readonly [string, string] {
  return [s.gpu, byVariable('node')];
}

/** One GPU series over another of the picked nodes, per GPU (used memory over total…). */
export function perGpuShare(s: DashboardSettings, part: string, whole: string): string {
  const gpu = gpusOfNodes(s);
  return `${series(part, ...gpu)}\n/\n${series(whole, ...gpu)}`;
}
