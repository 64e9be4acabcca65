import { randomBytes } from 'node:crypto';

export interface Matcher {
  readonly name: string;
  readonly value: string;
  readonly isRegex: boolean;
  readonly isEqual: boolean;
}

/**
 * Label values a matcher is tried against: the empty string (what an alert without the
 * label has) and values of every common shape, some random, so `.+`, `(.*)`, `[\s\S]*`
 * and `.{0,}` are judged by what they match, not by how they are spelled.
 */
function samples(): string[] {
  const random = Array.from({ length: 8 }, (_, i) => randomBytes(4 + i * 3).toString('base64url'));
  return [
    '',
    'a',
    'Z',
    '0',
    'x y',
    'LayerwatchLayerDown',
    'p0',
    'prod-1.example:9100',
    '日本',
    ...random,
  ];
}

/** Alertmanager anchors its regexes: the value must match whole. */
function anchored(value: string): RegExp | undefined {
  try {
    return new RegExp(`^(?:${value})$`);
  } catch {
    return undefined;
  }
}

/** True when the matcher would hold for a label with this value (absent = ""). */
function holds(m: Matcher, re: RegExp | undefined, value: string): boolean {
  const hit = m.isRegex ? (re?.test(value) ?? false) : m.value === value;
  return m.isEqual ? hit : !hit;
}

/** Whether the matcher matches every sample value: on its own it selects everything. */
export function matchesEverything(m: Matcher, values = samples()): boolean {
  const re = m.isRegex ? anchored(m.value) : undefined;
  return values.every((v) => holds(m, re, v));
}

/**
 * Why a silence with these matchers would mute every alert (or could not be judged), or
 * undefined. One literal `name="value"` matcher is required: it is the only kind that
 * cannot hold for an alert without the label; every matcher must also compile.
 */
export function silenceProblem(matchers: readonly Matcher[]): string | undefined {
  const broken = matchers.find((m) => m.isRegex && anchored(m.value) === undefined);
  if (broken)
    return `${broken.name}=~${JSON.stringify(broken.value)} is not a valid regular expression`;
  const values = samples();
  if (matchers.every((m) => matchesEverything(m, values))) {
    return 'these matchers match every alert (each holds for an empty or any value): add name="value" for alertname or another label';
  }
  if (!matchers.some((m) => m.isEqual && !m.isRegex)) {
    return 'a silence needs at least one equality matcher name="value" (alertname or another label): regex and negative matchers alone can match every alert';
  }
  return undefined;
}
