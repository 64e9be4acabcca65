import type { z } from 'zod';
import { prepareModule, type PreparedModule } from '../../src/config/prepare.js';
import { moduleSchema } from '../../src/config/schema.js';
import type { Sample } from '../../src/format/sample-sink.js';
import { runProbe, type ProbeRun } from '../../src/probe-run/run-probe.js';

/** A module as the config loader would prepare it, from its YAML-shaped description. */
export function testModule(module: z.input<typeof moduleSchema>): PreparedModule {
  return prepareModule('test', moduleSchema.parse(module));
}

/** Runs one probe the way the daemon does (deadline, never throws), with its debug log. */
export function probeOnce(
  module: PreparedModule,
  target: string,
  timeoutMs = 3000,
): Promise<ProbeRun> {
  return runProbe(module, target, timeoutMs, true);
}

/** The value of the one sample named so (with these labels), or undefined. */
export function sampleValue(
  run: ProbeRun,
  name: string,
  labels?: Record<string, string>,
): number | undefined {
  return run.samples.find((s: Sample) => s.name === name && matches(s.labels, labels))?.value;
}

/** The run's value of each sample `expected` names (no labels), to compare with `expected`. */
export function samplesLike(
  run: ProbeRun,
  expected: Readonly<Record<string, number>>,
): Record<string, number | undefined> {
  return Object.fromEntries(Object.keys(expected).map((name) => [name, sampleValue(run, name)]));
}

function matches(actual: Sample['labels'], wanted: Record<string, string> | undefined): boolean {
  if (!wanted) return true;
  return Object.entries(wanted).every(([key, value]) => actual?.[key] === value);
}
