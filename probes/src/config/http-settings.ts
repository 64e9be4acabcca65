import { z } from 'zod';
import { tlsSettingsSchema } from './tls-settings.js';
import { byteSizeSchema } from './duration-schema.js';

const DEFAULT_BODY_SIZE_LIMIT = 10 * 1024 * 1024;

/**
 * A module's `http:` block. Key names follow blackbox_exporter's http prober so its module
 * files carry over; `json_assertions`, `max_redirects` and the byte cap default are ours.
 */
export const httpSettingsSchema = z
  .object({
    method: z
      .enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'], {
        errorMap: () => ({
          message: 'must be one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS',
        }),
      })
      .default('GET'),
    headers: z.record(z.string()).default({}),
    body: z.string().optional(),
    valid_status_codes: z
      .array(z.number().int().min(100).max(599, 'must be an HTTP status code from 100 to 599'))
      .default([]),
    follow_redirects: z.boolean().default(true),
    max_redirects: z.number().int().min(0).max(100).default(10),
    fail_if_ssl: z.boolean().default(false),
    fail_if_not_ssl: z.boolean().default(false),
    fail_if_body_matches_regexp: z.array(z.string()).default([]),
    fail_if_body_not_matches_regexp: z.array(z.string()).default([]),
    json_assertions: z.array(z.string()).default([]),
    tls_config: tlsSettingsSchema.optional(),
    body_size_limit: byteSizeSchema.default(DEFAULT_BODY_SIZE_LIMIT),
  })
  .strict();

export type HttpSettings = z.output<typeof httpSettingsSchema>;
