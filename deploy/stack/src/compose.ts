import { join } from 'node:path';
import { freePort } from '@layerwatch/local';
import { DEFAULT_SIM_PORTS } from '@layerwatch/sim';
import { LAYERWATCH_PORTS, sharedStorePort } from '@layerwatch/vocabulary';
import {
  PART_NAMES,
  type ComposeOptions,
  type NeedsOptions,
  type PartContext,
  type PartName,
  type PartSpec,
  type StackPart,
  type StackPorts,
  type StackState,
} from './part.js';
import { alertmanagerPart, prometheusPart } from './parts/alerting.js';
import { gpuNodePart } from './parts/gpu-node.js';
import { pluginHostPart } from './parts/plugin-host.js';
import { probesPart } from './parts/probes.js';
import { remediationPart } from './parts/remediation.js';
import { simulatorPart } from './parts/simulator.js';
import { postgresPart, redisPart } from './parts/stores.js';
import { assertPortFree } from './port-check.js';

/** The one list of the stack's parts: `make up`, the closed loop and the soak start from it. */
export const PARTS: Readonly<Record<PartName, PartSpec>> = {
  redis: redisPart,
  postgres: postgresPart,
  sim: simulatorPart,
  probes: probesPart,
  gpuNode: gpuNodePart,
  remediation: remediationPart,
  alertmanager: alertmanagerPart,
  prometheus: prometheusPart,
  pluginHost: pluginHostPart,
};

/** The documented ports of `make up` (README "Default ports"). */
export const STACK_PORTS: StackPorts = {
  redis: sharedStorePort('redis'),
  postgres: sharedStorePort('postgres'),
  ...LAYERWATCH_PORTS,
  sim: DEFAULT_SIM_PORTS,
};

export interface RunningComposition {
  readonly state: StackState;
  /** The started parts in start order, for the URL table. */
  readonly parts: readonly StackPart[];
  readonly ports: StackPorts;
  readonly factoryRoot: string;
  /** Stops every started part in reverse order; one failing does not keep the rest running. */
  stop(): Promise<void>;
}

/** What part `name` needs with these options. */
function needsOf(name: PartName, options: NeedsOptions): readonly PartName[] {
  const { needs } = PARTS[name];
  return typeof needs === 'function' ? needs(options) : needs;
}

/** `wanted` and everything they need (with these options), in start order. */
export function withNeeds(wanted: readonly PartName[], options: NeedsOptions = {}): PartName[] {
  const chosen = new Set<PartName>();
  const add = (name: PartName): void => {
    if (chosen.has(name)) return;
    needsOf(name, options).forEach(add);
    chosen.add(name);
  };
  wanted.forEach(add);
  return PART_NAMES.filter((name) => chosen.has(name));
}

async function resolvePorts(
  options: ComposeOptions,
  host: string,
  names: readonly PartName[],
): Promise<StackPorts> {
  if (options.ports === 'free') {
    const sim: Record<string, number> = {};
    for (const name of Object.keys(DEFAULT_SIM_PORTS)) sim[name] = await freePort();
    const own = Object.fromEntries(
      await Promise.all(
        PART_NAMES.filter((n) => n !== 'sim').map(async (n) => [n, await freePort()] as const),
      ),
    ) as Record<Exclude<PartName, 'sim'>, number>;
    return { ...own, sim };
  }
  // Refuse a taken port before starting anything, naming what wanted it.
  for (const name of names) {
    if (name === 'sim') {
      for (const [service, port] of Object.entries(STACK_PORTS.sim))
        await assertPortFree(host, port, `simulated ${service}`);
    } else {
      await assertPortFree(host, STACK_PORTS[name], PARTS[name].title);
    }
  }
  return STACK_PORTS;
}

/**
 * Starts the parts named (and what they need) in dependency order, each ready before the
 * next starts. If one fails, those already running are stopped before the error propagates.
 */
export async function startComposition(
  wanted: readonly PartName[],
  options: ComposeOptions,
): Promise<RunningComposition> {
  const host = options.host ?? '127.0.0.1';
  const names = withNeeds(wanted, options);
  const ctx: PartContext = {
    options,
    host,
    ports: await resolvePorts(options, host, names),
    factoryRoot: join(options.dir, 'factory'),
    state: {},
  };
  const parts: StackPart[] = [];
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      for (const part of [...parts].reverse()) await part.stop().catch(() => undefined);
    })();
    return stopping;
  };
  try {
    for (const name of names) {
      options.log?.(`starting ${PARTS[name].title} …`);
      parts.push(await PARTS[name].start(ctx));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { state: ctx.state, parts, ports: ctx.ports, factoryRoot: ctx.factoryRoot, stop };
}
