import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod/v4';
import { ACTION_NAMES, configSchema, type ConfigInput, type RemediationConfig } from './schema.js';

/** A config that failed validation: one line per problem, `file:line:col: path: message`. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Reads, validates and resolves a YAML config; relative paths resolve against its folder. */
export function loadConfigFile(file: string): RemediationConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`${file}: cannot read the config: ${(error as Error).message}`);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    const at = first ? lines.linePos(first.pos[0]) : { line: 0, col: 0 };
    throw new ConfigError(`${file}:${at.line}:${at.col}: ${first?.message ?? 'invalid YAML'}`);
  }
  const result = configSchema.safeParse(doc.toJS());
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const node = doc.getIn(issue.path as (string | number)[], true) as
        { range?: [number, number, number] } | undefined;
      const at = node?.range ? lines.linePos(node.range[0]) : undefined;
      return `${file}${at ? `:${at.line}:${at.col}` : ''}: ${describe(issue)}`;
    });
    throw new ConfigError(problems.join('\n'));
  }
  return resolvePaths(result.data, dirname(resolve(file)));
}

/** Validates an in-memory config (tests, `layerwatch up`); paths resolve against `baseDir`. */
export function parseConfig(input: ConfigInput, baseDir = process.cwd()): RemediationConfig {
  const result = configSchema.safeParse(input);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => `config: ${describe(issue)}`).join('\n'),
    );
  }
  return resolvePaths(result.data, baseDir);
}

function describe(issue: z.core.$ZodIssue): string {
  const path = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
  const hint =
    issue.code === 'invalid_key' && issue.path[0] === 'actions'
      ? `; valid actions: ${ACTION_NAMES.join(', ')}`
      : '';
  return `${path}: ${issue.message}${hint}`;
}

function resolvePaths(config: RemediationConfig, baseDir: string): RemediationConfig {
  const at = (path: string): string => (isAbsolute(path) ? path : resolve(baseDir, path));
  const store =
    config.store.kind === 'sqlite' && config.store.path !== ':memory:'
      ? { ...config.store, path: at(config.store.path) }
      : config.store.kind === 'postgres' && config.store.passwordFile
        ? { ...config.store, passwordFile: at(config.store.passwordFile) }
        : config.store;
  return {
    ...config,
    store,
    auth: {
      ...config.auth,
      ...(config.auth.hmac
        ? { hmac: { ...config.auth.hmac, secretFile: at(config.auth.hmac.secretFile) } }
        : {}),
    },
    audit: {
      ...(config.audit.keyFile ? { keyFile: at(config.audit.keyFile) } : {}),
      ...(config.audit.anchorFile ? { anchorFile: at(config.audit.anchorFile) } : {}),
    },
    confirmation: config.confirmation.secretFile
      ? { ...config.confirmation, secretFile: at(config.confirmation.secretFile) }
      : config.confirmation,
    ...(config.kubernetes?.kubeconfig
      ? { kubernetes: { ...config.kubernetes, kubeconfig: at(config.kubernetes.kubeconfig) } }
      : {}),
  };
}
