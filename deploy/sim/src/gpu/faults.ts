import {
  oneOf,
  optionalInt,
  rejectUnknownKeys,
  requireObject,
  ValidationError,
} from '../validate.js';
import { GPU_FAULT_MODES, type GpuFaultMode } from './model.js';

/** `POST /-/gpu` on the agent service: `{"gpu": 0, "mode": "hot"}`. */
export interface GpuFaultRequest {
  readonly gpu: number;
  readonly mode: GpuFaultMode;
}

export function parseGpuFault(input: unknown, gpuCount: number): GpuFaultRequest {
  const body = requireObject(input, 'GPU fault');
  rejectUnknownKeys(body, ['gpu', 'mode'], 'a GPU fault');
  const mode = oneOf(body, 'mode', GPU_FAULT_MODES);
  const gpu = optionalInt(body, 'gpu', 0, gpuCount - 1);
  if (gpu === undefined) {
    throw new ValidationError(`gpu: missing; expected a GPU index in 0..${gpuCount - 1}`);
  }
  return { gpu, mode };
}
