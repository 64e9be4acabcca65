import { z } from 'zod';
import { parseByteSize } from '@layerwatch/ledger';
import { parseDuration } from '../util/duration.js';

/** A Prometheus duration (`500ms`, `5s`, `1m`) turned into milliseconds. */
export const durationSchema = z.string().transform((text, ctx) => {
  const ms = parseDuration(text);
  if (ms === undefined || ms === 0) {
    ctx.addIssue({
      code: 'custom',
      message: `"${text}" is not a duration: write e.g. 500ms, 5s or 1m`,
    });
    return z.NEVER;
  }
  return ms;
});

/** A byte size (`1048576`, `512KiB`, `4MiB`) turned into bytes. */
export const byteSizeSchema = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const bytes = parseByteSize(value);
  if (bytes === undefined || bytes === 0) {
    ctx.addIssue({
      code: 'custom',
      message: `"${value}" is not a byte size: write e.g. 1048576, 512KiB or 10MB`,
    });
    return z.NEVER;
  }
  return bytes;
});
