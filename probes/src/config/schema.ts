import cron from 'node-cron';
import { z } from 'zod';
import { httpSettingsSchema } from './http-settings.js';
import { postgresSettingsSchema } from './postgres-settings.js';
import { redisSettingsSchema } from './redis-settings.js';
import { tcpSettingsSchema } from './tcp-settings.js';
import { collectorsSchema } from './collector-settings.js';
import { durationSchema } from './duration-schema.js';

const scheduleSchema = z.string().refine((expression) => cron.validate(expression), {
  message:
    'is not a cron schedule: use 6 fields with seconds, e.g. "*/15 * * * * *" for every 15 s',
});

const listenSchema = z.string().regex(/^(\[[0-9a-fA-F:]+\]|[^:\s]+):(\d{1,5})$/, {
  message: 'must be host:port, e.g. 127.0.0.1:9701',
});

const LABEL_VALUE = /^[A-Za-z0-9_.:/-]+$/;
const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

const timeout = durationSchema.default('5s');
export const moduleSchema = z.discriminatedUnion(
  'prober',
  [
    z.object({ prober: z.literal('http'), timeout, http: httpSettingsSchema.default({}) }).strict(),
    z.object({ prober: z.literal('tcp'), timeout, tcp: tcpSettingsSchema.default({}) }).strict(),
    z
      .object({ prober: z.literal('redis'), timeout, redis: redisSettingsSchema.default({}) })
      .strict(),
    z
      .object({
        prober: z.literal('postgres'),
        timeout,
        postgres: postgresSettingsSchema.default({}),
      })
      .strict(),
  ],
  { errorMap: () => ({ message: 'is not a prober: use one of http, tcp, redis, postgres' }) },
);

const targetSchema = z
  .object({
    name: z.string().regex(LABEL_VALUE, 'use letters, digits and _ . : / - only'),
    target: z.string().min(1),
    module: z.string().min(1),
    schedule: scheduleSchema.optional(),
  })
  .strict();

const layerSchema = z
  .object({
    layer: z.string().regex(/^[0-9A-Za-z_-]+$/, 'must be a short id such as "4"'),
    name: z.string().min(1),
    schedule: scheduleSchema.optional(),
    targets: z.array(targetSchema).min(1, 'a layer needs at least one target'),
  })
  .strict();

export const configSchema = z
  .object({
    server: z
      .object({
        listen: listenSchema.default('127.0.0.1:9701'),
        max_concurrent_probes: z.number().int().min(1).max(100_000).default(1024),
        timeout_offset: durationSchema.default('500ms'),
      })
      .strict()
      .default({}),
    scheduler: z
      .object({
        enabled: z.boolean().default(true),
        default_schedule: scheduleSchema.default('*/15 * * * * *'),
        max_concurrent_probes: z.number().int().min(1).max(100_000).default(512),
        /** Probe in this many worker threads (targets split between them); 0: in the main one. */
        worker_threads: z.number().int().min(0).max(256).default(0),
      })
      .strict()
      .default({}),
    modules: z.record(
      z.string().regex(NAME, 'module names use letters, digits, _ and -'),
      moduleSchema,
    ),
    layers: z.array(layerSchema).default([]),
    collectors: collectorsSchema.default({}),
  })
  .strict()
  .superRefine((config, ctx) => {
    const known = Object.keys(config.modules);
    config.layers.forEach((layer, li) =>
      layer.targets.forEach((target, ti) => {
        if (known.includes(target.module)) return;
        ctx.addIssue({
          code: 'custom',
          path: ['layers', li, 'targets', ti, 'module'],
          message: `unknown module "${target.module}": defined modules are ${known.join(', ') || '(none)'}`,
        });
      }),
    );
  });

export type ProbeConfig = z.output<typeof configSchema>;
export type ModuleConfig = ProbeConfig['modules'][string];
export type LayerConfig = ProbeConfig['layers'][number];
