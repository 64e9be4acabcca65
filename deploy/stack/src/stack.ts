import { PART_NAMES, type StackPart } from './part.js';
import { startComposition, type RunningComposition } from './compose.js';

export interface StackOptions {
  /** Where Redis and PostgreSQL keep their data between runs (git ignores `.state/`). */
  readonly stateDir: string;
  /** Where the remediation tokens are written. @default '.layerwatch' (git ignores it) */
  readonly tokenDir?: string;
  readonly host: string;
  readonly log: (line: string) => void;
  /** The HA stack (`make up HA=1`): replicated Prometheus, Alertmanager and remediation. */
  readonly ha?: boolean;
  /** Every part on a free port instead of the documented ones (a second stack beside one). */
  readonly freePorts?: boolean;
}

/**
 * `make up`: every part on the documented ports, on the embedded default probe config,
 * data kept in the state folder between runs.
 */
export function startStack(options: StackOptions): Promise<RunningComposition> {
  return startComposition(PART_NAMES, {
    dir: options.stateDir,
    tokenDir: options.tokenDir ?? '.layerwatch',
    host: options.host,
    ports: options.freePorts === true ? 'free' : 'default',
    keepData: true,
    log: options.log,
    ...(options.ha === true && { ha: {} }),
  });
}

/** The URL table `make up` prints. */
export function formatUrlTable(parts: readonly StackPart[]): string {
  const width = Math.max(...parts.map((p) => p.name.length));
  const lines = parts.flatMap((part) =>
    part.urls.map((url, i) => `  ${(i === 0 ? part.name : '').padEnd(width)}  ${url}`),
  );
  return ['', 'Layerwatch is up:', ...lines, '', 'Ctrl-C stops everything.', ''].join('\n');
}
