import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type { TlsSettings } from '../config/tls-settings.js';
import { errorMessage } from '../util/errors.js';
import { SettingsError } from './types.js';

/**
 * Node TLS options for a module's `tls_config`. Files are read once, when the config
 * loads, so a probe never touches the disk; an unreadable file fails the load at its field.
 */
export function buildTlsOptions(tls: TlsSettings): ConnectionOptions {
  const options: ConnectionOptions = { rejectUnauthorized: !tls.insecure_skip_verify };
  if (tls.ca_file) options.ca = readSetting(tls.ca_file, 'ca_file');
  if (tls.cert_file) options.cert = readSetting(tls.cert_file, 'cert_file');
  if (tls.key_file) options.key = readSetting(tls.key_file, 'key_file');
  if (tls.server_name) options.servername = tls.server_name;
  return options;
}

function readSetting(file: string, field: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new SettingsError(['tls_config', field], `cannot read "${file}": ${errorMessage(error)}`);
  }
}
