import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatUrlTable, startStack } from './stack.js';

const USAGE = 'Usage: layerwatch up [--state-dir DIR] [--host 127.0.0.1] [--ha] [--free-ports]';

/** `layerwatch up`: runs the embedded stack until Ctrl-C, then stops everything it started. */
export async function runUpCli(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      'state-dir': { type: 'string', default: '.state' },
      host: { type: 'string', default: '127.0.0.1' },
      ha: { type: 'boolean', default: false },
      'free-ports': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const log = (line: string): void => void process.stdout.write(`${line}\n`);
  // Listening before the start: Ctrl-C while parts start stops what started, once it has.
  const signalled = new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  let interrupted = false;
  void signalled.then(() => {
    interrupted = true;
  });
  const stack = await startStack({
    stateDir: resolve(values['state-dir']),
    host: values.host,
    log,
    ha: values.ha,
    freePorts: values['free-ports'],
  });
  if (!interrupted) {
    process.stdout.write(formatUrlTable(stack.parts));
    await signalled;
  }
  log('stopping …');
  await stack.stop();
  log('stopped.');
  return 0;
}
