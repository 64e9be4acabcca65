import { z } from 'zod';
import { tlsSettingsSchema } from './tls-settings.js';

/**
 * One step of a TCP conversation, as in blackbox_exporter's `query_response`: wait for a
 * line matching `expect`, then write `send` and a newline, then upgrade to TLS on `starttls`.
 * `send` may use the groups `expect` captured: `${1}`, `${name}`.
 */
const queryStepSchema = z
  .object({
    /** A regular expression (JavaScript syntax) tested against each line read. */
    expect: z.string().optional(),
    send: z.string().optional(),
    /** @default false */
    starttls: z.boolean().default(false),
  })
  .strict();

/** A module's `tcp:` block; key names follow blackbox_exporter's tcp prober. */
export const tcpSettingsSchema = z
  .object({
    /** Connect with TLS from the first byte. @default false */
    tls: z.boolean().default(false),
    tls_config: tlsSettingsSchema.optional(),
    /** @default [] */
    query_response: z.array(queryStepSchema).default([]),
    /** Which address family to try first; the other is used when the host has none. @default ip4 */
    preferred_ip_protocol: z
      .enum(['ip4', 'ip6'], { errorMap: () => ({ message: 'must be ip4 or ip6' }) })
      .default('ip4'),
  })
  .strict()
  .superRefine((settings, ctx) => {
    let upgrades = 0;
    settings.query_response.forEach((step, index) => {
      if (!step.starttls) return;
      const path = ['query_response', index, 'starttls'];
      if (settings.tls) {
        ctx.addIssue({
          code: 'custom',
          path,
          message:
            'starttls upgrades a plain connection, but tls: true already starts with TLS: drop one',
        });
      } else if (++upgrades > 1) {
        ctx.addIssue({
          code: 'custom',
          path,
          message: 'a connection can be upgraded to TLS only once: keep a single starttls step',
        });
      }
    });
  });

export type TcpSettings = z.output<typeof tcpSettingsSchema>;
export type TcpQueryStep = TcpSettings['query_response'][number];
