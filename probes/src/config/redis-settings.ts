import { z } from 'zod';
import { tlsSettingsSchema } from './tls-settings.js';

/** A module's `redis:` block. */
export const redisSettingsSchema = z
  .object({
    /** ACL user (Redis 6+); needs a password. */
    username: z.string().min(1).optional(),
    password: z.string().optional(),
    /** Name of an environment variable holding the password, read when the config loads. */
    password_env: z.string().min(1).optional(),
    /** @default false */
    tls: z.boolean().default(false),
    tls_config: tlsSettingsSchema.optional(),
    /** Lists whose LLEN is exported as `probe_redis_queue_length{queue}`. @default [] */
    queues: z
      .array(z.string().min(1))
      .refine((queues) => new Set(queues).size === queues.length, {
        message: 'a queue is listed twice: list each once',
      })
      .default([]),
    /** @default 0 */
    db: z.number().int().min(0).default(0),
  })
  .strict()
  .refine((s) => s.password === undefined || s.password_env === undefined, {
    message: 'give password or password_env, not both',
    path: ['password_env'],
  })
  .refine(
    (s) => s.username === undefined || s.password !== undefined || s.password_env !== undefined,
    {
      message: 'username needs a password: add password or password_env',
      path: ['username'],
    },
  )
  .refine((s) => s.tls || s.tls_config === undefined, {
    message: 'tls_config is set but tls is false: add `tls: true`, or remove tls_config',
    path: ['tls_config'],
  });

export type RedisSettings = z.output<typeof redisSettingsSchema>;
