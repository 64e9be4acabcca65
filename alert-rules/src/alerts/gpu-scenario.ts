/** The GPU node and GPU of the layer 8 promtool scenarios, and their series. */
import type { AlertRulesConfig } from '../config-types.js';
import { seriesLiteral } from '../promql-series.js';
import type { InputSeries } from '../types.js';

export const NODE = { layer: '8', node: 'gpu-node-1' };
export const GPU = { ...NODE, uuid: '6d8e4c1a-0b7e-4d5f-9a51-2f0f2b1c9e11', index: '0' };

/** A series of the GPU collector (the gpu selector's labels plus `labels`). */
export function gpuSeries(
  config: AlertRulesConfig,
  metric: string,
  labels: Record<string, string>,
  values: string,
): InputSeries {
  return { series: seriesLiteral(metric, config.selectors.gpu, labels), values };
}
