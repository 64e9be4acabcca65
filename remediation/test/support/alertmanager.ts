import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startAlertmanager, type RunningAlertmanager } from '@layerwatch/local';

/** A real Alertmanager with a do-nothing receiver, for the silence action. */
export async function startTestAlertmanager(dir: string): Promise<RunningAlertmanager> {
  const configFile = join(dir, 'alertmanager.yml');
  await writeFile(configFile, 'route:\n  receiver: blackhole\nreceivers:\n  - name: blackhole\n');
  return startAlertmanager({ dataDir: join(dir, 'am-data'), configFile });
}
