import { readFileSync } from 'node:fs';
import {
  LineCounter,
  isMap,
  isPair,
  isScalar,
  parseDocument,
  type Document,
  type Node,
} from 'yaml';
import type { ZodIssue } from 'zod';
import { ConfigError, formatFieldPath, type ConfigProblem } from './config-error.js';
import { configSchema, type ProbeConfig } from './schema.js';
import { renamedKeyMessage } from './renamed-keys.js';
import { keysAt } from './schema-keys.js';
import { closest } from './suggest.js';
import { errorMessage } from '../util/errors.js';

/** A parsed, validated config and the means to locate a field in its source. */
export interface ValidatedConfig {
  readonly file: string;
  readonly config: ProbeConfig;
  /** A problem at `path`, located at that field's line (later stages report through this). */
  problemAt(
    path: readonly (string | number)[],
    message: string,
    at?: 'key' | 'value',
  ): ConfigProblem;
}

export function loadConfigFile(file: string): ValidatedConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError([
      { file, line: 0, column: 0, field: '', message: `cannot read: ${errorMessage(error)}` },
    ]);
  }
  return parseConfig(text, file);
}

/**
 * YAML → defaults → validation, as blackbox_exporter does it: every problem is collected,
 * located (file:line:column), and names the field, the bad value and what is valid.
 */
export function parseConfig(text: string, file: string): ValidatedConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const locate = (offset: number): { line: number; column: number } => {
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  if (doc.errors.length) {
    throw new ConfigError(
      doc.errors.map((e) => ({
        file,
        ...locate(e.pos[0]),
        field: '',
        message: `YAML: ${e.message.split('\n')[0]}`,
      })),
    );
  }
  const problemAt = (
    path: readonly (string | number)[],
    message: string,
    at: 'key' | 'value' = 'value',
  ): ConfigProblem => ({
    file,
    ...locate(nodeOffset(doc, path, at)),
    field: formatFieldPath(path),
    message,
  });
  const result = configSchema.safeParse(doc.toJS() ?? {});
  if (!result.success) {
    const data: unknown = doc.toJS();
    throw new ConfigError(
      result.error.issues.flatMap((issue) => describeIssue(doc, data, issue, problemAt)),
    );
  }
  return { file, config: result.data, problemAt };
}

function describeIssue(
  doc: Document,
  data: unknown,
  issue: ZodIssue,
  problemAt: ValidatedConfig['problemAt'],
): ConfigProblem[] {
  if (issue.code === 'unrecognized_keys') {
    const valid = keysAt(configSchema, issue.path, data);
    return issue.keys.map((key) => {
      const renamed = renamedKeyMessage(issue.path, key);
      if (renamed !== undefined) return problemAt([...issue.path, key], renamed, 'key');
      const hint = closest(key, valid);
      const suffix = hint
        ? `; did you mean "${hint}"?`
        : valid.length
          ? ` (valid: ${valid.join(', ')})`
          : '';
      return problemAt([...issue.path, key], `unknown field "${key}"${suffix}`, 'key');
    });
  }
  const value = doc.getIn(issue.path);
  // Only scalars are worth quoting back; a whole map or list would bury the message.
  const shown =
    value === undefined || (typeof value === 'object' && value !== null)
      ? undefined
      : JSON.stringify(value);
  if (issue.code === 'invalid_union_discriminator' && value === undefined) {
    return [problemAt(issue.path, `is required: one of ${issue.options.join(', ')}`)];
  }
  if (issue.code === 'invalid_type' && issue.received === 'undefined') {
    return [problemAt(issue.path, `is required (${issue.expected})`)];
  }
  if (issue.code === 'invalid_type') {
    return [problemAt(issue.path, `${shown ?? issue.received} is not a ${issue.expected}`)];
  }
  const message =
    shown !== undefined && !issue.message.includes(shown)
      ? `${shown} ${issue.message}`
      : issue.message;
  return [problemAt(issue.path, message)];
}

/** The source offset of the deepest node that exists along `path` (the key, for map entries). */
function nodeOffset(
  doc: Document,
  path: readonly (string | number)[],
  at: 'key' | 'value',
): number {
  let node: unknown = doc.contents;
  let offset = (doc.contents as Node | null)?.range?.[0] ?? 0;
  for (const step of path) {
    if (!isMap(node) && !(node && typeof node === 'object' && 'items' in node)) break;
    const items = (node as { items: unknown[] }).items;
    const entry = isMap(node)
      ? items.find(
          (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(step),
        )
      : items[Number(step)];
    if (entry === undefined) break;
    if (isPair(entry)) {
      offset = (entry.key as Node | null)?.range?.[0] ?? offset;
      node = entry.value;
      const valueOffset = (entry.value as Node | null)?.range?.[0];
      const last = step === path[path.length - 1];
      if (at === 'value' && last && valueOffset !== undefined && isScalar(entry.value))
        offset = valueOffset;
    } else {
      node = entry;
      offset = (entry as Node | null)?.range?.[0] ?? offset;
    }
  }
  return offset;
}
