import { namesOf, nvidiaSmiArgs, QUERY_FIELDS, REQUIRED_FIELDS } from './fields.js';

/**
 * Which `--query-gpu` fields to ask the installed driver for. nvidia-smi refuses the whole
 * query when one field is unknown to it (`Field "x" is not a valid field to query.`, exit
 * 2), so one field a new driver removed would take every GPU series down. The driver's own
 * `--help-query-gpu` says which names it knows: each field is asked for by its newest known
 * name, and a field it knows under no name is left out (its series with it).
 */
export interface QueryPlan {
  /** The arguments of the CSV run. */
  readonly args: readonly string[];
  /** Fields the driver knows under no name: their series are left out. */
  readonly dropped: readonly string[];
  /** Fields asked for under a newer name: `[field, name asked]`. */
  readonly renamed: readonly (readonly [string, string])[];
}

/** A field name as the help text quotes it: `"pci.bus_id" or "gpu_bus_id"`. */
const QUOTED_NAME = /"([A-Za-z][A-Za-z0-9_.]*)"/g;

/**
 * The field names `nvidia-smi --help-query-gpu` lists: every quoted name at the start of a
 * line (`"name" or "gpu_name"` gives both). Undefined when the text lists none (not the
 * help text at all), so the caller can tell "knows nothing" from "printed something else".
 */
export function knownQueryFields(helpText: string): ReadonlySet<string> | undefined {
  const names = new Set<string>();
  for (const line of helpText.split(/\r?\n/)) {
    if (!line.startsWith('"')) continue;
    for (const match of line.matchAll(QUOTED_NAME)) {
      if (match[1] !== undefined) names.add(match[1]);
    }
  }
  return names.has('index') && names.has('uuid') ? names : undefined;
}

/** Every field by its old name: what every driver since R450 answers. */
export const DEFAULT_PLAN: QueryPlan = { args: nvidiaSmiArgs(), dropped: [], renamed: [] };

/** The plan for a driver that knows `known` (undefined: the default plan). */
export function planQuery(known: ReadonlySet<string> | undefined): QueryPlan {
  if (known === undefined) return DEFAULT_PLAN;
  const asked: string[] = [];
  const dropped: string[] = [];
  const renamed: [string, string][] = [];
  for (const field of QUERY_FIELDS) {
    const name = namesOf(field).find((candidate) => known.has(candidate));
    // Without index and uuid no row is usable: ask anyway and let the run say why.
    if (name === undefined && !(REQUIRED_FIELDS as readonly string[]).includes(field)) {
      dropped.push(field);
      continue;
    }
    asked.push(name ?? field);
    if (name !== undefined && name !== field) renamed.push([field, name]);
  }
  return { args: nvidiaSmiArgs(asked), dropped, renamed };
}

/** One line for the log: what the plan asks differently from the default. */
export function describePlan(plan: QueryPlan): string {
  const parts: string[] = [];
  if (plan.renamed.length > 0) {
    parts.push(
      `asking by new name: ${plan.renamed.map(([old, now]) => `${old} → ${now}`).join(', ')}`,
    );
  }
  if (plan.dropped.length > 0) parts.push(`unknown to this driver: ${plan.dropped.join(', ')}`);
  return parts.join('; ');
}
