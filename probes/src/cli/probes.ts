import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { loadProbeConfig } from '../config/prepare.js';
import { startDaemon } from '../server/daemon.js';

const USAGE = `Usage:
  layerwatch probes [--config FILE] [--listen HOST:PORT] [--log-level debug|info|warn|error]
  layerwatch probes --check-config FILE

Without --config the embedded default (probes/config/default.yml) is used.`;

/** The embedded default config, found from this file whether run from src/ or dist/src/. */
export function defaultConfigPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 4; depth += 1) {
    const candidate = join(dir, 'config', 'default.yml');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error(
    'the embedded default config (probes/config/default.yml) is missing from this install',
  );
}

/** `layerwatch probes …`: resolves to the exit code once the daemon stops (or the check ends). */
export async function runProbesCli(argv: readonly string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        config: { type: 'string' },
        'check-config': { type: 'string' },
        listen: { type: 'string' },
        'log-level': { type: 'string', default: 'info' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const checkFile = values['check-config'];
  if (checkFile !== undefined) return checkConfig(checkFile);
  const logLevel = values['log-level'];
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) {
    process.stderr.write(`--log-level "${logLevel}" is not one of debug, info, warn, error\n`);
    return 2;
  }
  const logger = pino({ name: 'layerwatch-probes', level: logLevel });
  const daemon = await startDaemon({
    configFile: values.config ?? defaultConfigPath(),
    ...(values.listen ? { listen: values.listen } : {}),
    logger,
  });
  process.stdout.write(
    `probe daemon: ${daemon.url}/metrics  ${daemon.url}/probe?target=…&module=…\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await daemon.stop();
  return 0;
}

async function checkConfig(file: string): Promise<number> {
  try {
    const loaded = loadProbeConfig(file);
    process.stdout.write(
      `${file}: OK (${loaded.modules.size} modules, ${loaded.targets.length} scheduled targets)\n`,
    );
    await loaded.close();
    return 0;
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
