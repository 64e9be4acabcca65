import { z } from 'zod';
import { tlsSettingsSchema } from './tls-settings.js';

/** libpq's sslmode values that the prober supports. */
export const POSTGRES_TLS_MODES = ['disable', 'require', 'verify-full'] as const;

/** A module's `postgres:` block. */
export const postgresSettingsSchema = z
  .object({
    /** Sent in the startup message; with `query`, the user that logs in. @default 'postgres' */
    user: z.string().min(1).default('postgres'),
    /** @default the user's name, as libpq does */
    database: z.string().min(1).optional(),
    password: z.string().optional(),
    /** Name of an environment variable holding the password, read when the config loads. */
    password_env: z.string().min(1).optional(),
    /** Also log in and run `SELECT 1`. @default false */
    query: z.boolean().default(false),
    /** libpq's sslmode: `require` encrypts, `verify-full` also checks the certificate and name. @default 'disable' */
    tls: z.enum(POSTGRES_TLS_MODES).default('disable'),
    tls_config: tlsSettingsSchema.optional(),
  })
  .strict()
  .refine((s) => s.password === undefined || s.password_env === undefined, {
    message: 'give password or password_env, not both',
    path: ['password_env'],
  })
  .refine((s) => s.tls !== 'disable' || s.tls_config === undefined, {
    message: "tls_config is set but tls is 'disable': set tls to 'require' or 'verify-full'",
    path: ['tls_config'],
  });

export type PostgresSettings = z.output<typeof postgresSettingsSchema>;
