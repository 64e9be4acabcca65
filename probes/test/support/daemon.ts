import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pino } from 'pino';
import { startDaemon, type RunningDaemon } from '../../src/server/daemon.js';

/**
 * The probe daemon as the tests run it: `config` written to `<dir>/probes.yml` (collector paths
 * in it resolve against `dir`; a module's `tls_config` files, as blackbox_exporter's, against
 * the working directory, so tests give those absolute), listening on a free loopback port, logging nothing.
 */
export async function startTestDaemon(
  dir: string,
  config: string,
): Promise<{ daemon: RunningDaemon; configFile: string }> {
  const configFile = join(dir, 'probes.yml');
  await writeFile(configFile, config);
  const daemon = await startDaemon({
    configFile,
    listen: '127.0.0.1:0',
    logger: pino({ level: 'silent' }),
  });
  return { daemon, configFile };
}
