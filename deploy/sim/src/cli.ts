import { parseArgs } from 'node:util';
import { MAX_LATENCY_JITTER_MS, type SimulatorOptions } from './options.js';
import { SERVICE_NAMES } from './services/registry.js';
import type { ServiceName } from './services/types.js';
import { startSimulator } from './simulator.js';

/** `layerwatch sim`: start the five services, print their URLs, stop on SIGINT/SIGTERM. */
export const SIM_USAGE =
  'usage: layerwatch sim [--host H] [--agent-port N] [--scheduler-port N] ' +
  '[--refinement-port N] [--evolution-port N] [--resources-port N] [--jitter-ms N] ' +
  '[--factory-root DIR] [--redis HOST:PORT]';

export interface SimCliIo {
  /** Receives the URL lines and usage. @default process.stdout */
  out?: (line: string) => void;
  /** Receives fault changes and errors. @default process.stderr */
  err?: (line: string) => void;
  /** Stops the simulator like SIGINT does; for embedding and tests. */
  signal?: AbortSignal;
}

const FLAGS = {
  host: { type: 'string' },
  'agent-port': { type: 'string' },
  'scheduler-port': { type: 'string' },
  'refinement-port': { type: 'string' },
  'evolution-port': { type: 'string' },
  'resources-port': { type: 'string' },
  'jitter-ms': { type: 'string' },
  'factory-root': { type: 'string' },
  redis: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Parses the flags into simulator options, or 'help'; throws an Error saying what is valid. */
export function parseSimArgs(argv: readonly string[]): SimulatorOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({ args: [...argv], options: FLAGS, strict: true }));
  } catch (error) {
    const first = (error instanceof Error ? error.message : String(error)).split('. ')[0];
    throw new Error(`sim: ${first}\n${SIM_USAGE}`, { cause: error });
  }
  if (values.help === true) return 'help';
  const options: SimulatorOptions = {};
  if (values.host !== undefined) options.host = values.host;
  const ports: Partial<Record<ServiceName, number>> = {};
  for (const name of SERVICE_NAMES) {
    const text = values[`${name}-port`];
    if (text !== undefined) ports[name] = wholeNumber(`--${name}-port`, text, 65_535);
  }
  options.ports = ports;
  const jitter = values['jitter-ms'];
  if (jitter !== undefined) {
    options.latencyJitterMs = wholeNumber('--jitter-ms', jitter, MAX_LATENCY_JITTER_MS);
  }
  const factoryRoot = values['factory-root'];
  if (factoryRoot !== undefined) {
    if (factoryRoot.trim() === '') throw new Error('sim: --factory-root: expected a folder path');
    options.factoryRoot = factoryRoot;
  }
  // Checked with the other options when the simulator starts.
  if (values.redis !== undefined) options.redis = values.redis;
  return options;
}

function wholeNumber(flag: string, text: string, max: number): number {
  const value = Number(text);
  if (/^\d+$/.test(text) && value <= max) return value;
  throw new Error(`sim: ${flag}: ${JSON.stringify(text)} is not an integer in 0..${max}`);
}

export async function runSimCli(argv: string[], io: SimCliIo = {}): Promise<void> {
  const out = io.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = io.err ?? ((line: string) => process.stderr.write(`${line}\n`));
  const options = parseSimArgs(argv);
  if (options === 'help') {
    out(SIM_USAGE);
    return;
  }
  const sim = await startSimulator({ ...options, log: err });
  for (const name of SERVICE_NAMES) {
    const { url, layer } = sim.services[name];
    out(`${name.padEnd(10)} layer ${layer}  ${url}`);
  }
  await stopRequested(io.signal);
  await sim.stop();
}

/** Resolves on SIGINT, SIGTERM or `signal`, removing its listeners either way. */
function stopRequested(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
    if (signal?.aborted) done();
    else signal?.addEventListener('abort', done, { once: true });
  });
}
