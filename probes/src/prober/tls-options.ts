import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type { TlsSettings } from '../config/tls-settings.js';

/**
 * Node TLS options for a module's `tls_config`. Files are read once, when the config
 * loads, so a probe never touches the disk; a missing file fails the load, not the probe.
 */
export function buildTlsOptions(tls: TlsSettings): ConnectionOptions {
  const options: ConnectionOptions = { rejectUnauthorized: !tls.insecure_skip_verify };
  if (tls.ca_file) options.ca = readFileSync(tls.ca_file);
  if (tls.cert_file) options.cert = readFileSync(tls.cert_file);
  if (tls.key_file) options.key = readFileSync(tls.key_file);
  if (tls.server_name) options.servername = tls.server_name;
  return options;
}
