import { z } from 'zod';

/** blackbox_exporter's `tls_config`: the same keys, so its module files carry over. */
export const tlsSettingsSchema = z
  .object({
    insecure_skip_verify: z.boolean().default(false),
    ca_file: z.string().min(1).optional(),
    cert_file: z.string().min(1).optional(),
    key_file: z.string().min(1).optional(),
    server_name: z.string().min(1).optional(),
  })
  .strict()
  .refine((tls) => (tls.cert_file === undefined) === (tls.key_file === undefined), {
    message: 'cert_file and key_file go together: give both for a client certificate, or neither',
  });

export type TlsSettings = z.output<typeof tlsSettingsSchema>;
