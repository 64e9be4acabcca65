/**
 * The cluster rule of the linter: every vector selector of a query filters on the cluster
 * variable (`cluster=~"$cluster"`), so no panel mixes the series of several clusters. A
 * metric written bare (`up`, without braces) has no matcher, so it fails too.
 */
import { CLUSTER_VARIABLE } from './promql.js';

/** Aggregation and join modifiers with a label list: `by (a, b)`, `on (slo)`. */
const LABEL_LIST = /\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g;
const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);
const KEYWORDS_BINARY = new Set(['and', 'or', 'unless', 'bool', 'offset', 'atan2']);
/** `name{…}` or `{…}`: a selector with braces. */
const BRACED = /([A-Za-z_:][A-Za-z0-9_:]*)?\{([^{}]*)\}/g;
/** An identifier not part of a number, a label or a longer name. */
const IDENTIFIER = /(?<![\w.:$])[A-Za-z_:][A-Za-z0-9_:]*/g;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Selectors in `expr` that lack `<clusterLabel>=~"$cluster"` (or `"$cluster|"`). */
export function selectorsWithoutCluster(expr: string, clusterLabel: string): string[] {
  const matcher = new RegExp(
    `(?:^|,)\\s*${escapeRegExp(clusterLabel)}\\s*=~\\s*"\\$${CLUSTER_VARIABLE}\\|?"\\s*(?:,|$)`,
  );
  const missing: string[] = [];
  const rest = expr.replace(BRACED, (whole: string, _name: unknown, body: string) => {
    if (!matcher.test(body)) missing.push(whole);
    return ' ';
  });
  // Strings left outside braces are arguments (label_replace), not metric names.
  const bare = rest
    .replace(/"(?:[^"\\]|\\.)*"/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(LABEL_LIST, ' ');
  for (const match of bare.matchAll(IDENTIFIER)) {
    const name = match[0];
    const after = bare.slice((match.index ?? 0) + name.length);
    if (/^\s*\(/.test(after) || KEYWORDS.has(name) || KEYWORDS_BINARY.has(name)) continue;
    missing.push(name);
  }
  return missing;
}
