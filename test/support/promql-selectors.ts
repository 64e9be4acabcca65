/**
 * The vector selectors of a PromQL expression (`metric{matchers}`), to ask Prometheus
 * whether a rule's input series exist. A small scanner, not a parser: it skips strings,
 * durations, numbers, function and aggregation names, and the label lists of `by`,
 * `without`, `on`, `ignoring`, `group_left` and `group_right`.
 */
const LABEL_LIST_KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
]);
const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan', 'atan2']);
/** Aggregations may put `by (…)` between their name and their argument. */
const AGGREGATIONS = new Set(
  'sum min max avg group stddev stdvar count count_values bottomk topk quantile limitk'.split(' '),
);

/** `{…}` from `at` (an opening brace), strings inside kept whole. */
function braced(expr: string, at: number): string {
  let i = at + 1;
  while (i < expr.length && expr[i] !== '}') {
    if (expr[i] === '"' || expr[i] === "'") i = skipString(expr, i);
    else i += 1;
  }
  return expr.slice(at, i + 1);
}

function skipString(expr: string, at: number): number {
  const quote = expr[at];
  let i = at + 1;
  while (i < expr.length && expr[i] !== quote) i += expr[i] === '\\' ? 2 : 1;
  return i + 1;
}

function skipBalanced(expr: string, at: number, open: string, close: string): number {
  let depth = 0;
  for (let i = at; i < expr.length; i++) {
    if (expr[i] === open) depth += 1;
    if (expr[i] === close && --depth === 0) return i + 1;
  }
  return expr.length;
}

export function vectorSelectors(expr: string): string[] {
  const found = new Set<string>();
  let i = 0;
  let labelListNext = false;
  while (i < expr.length) {
    const c = expr[i]!;
    if (c === '"' || c === "'" || c === '`') {
      i = skipString(expr, i);
    } else if (c === '[') {
      i = skipBalanced(expr, i, '[', ']');
    } else if (c === '{') {
      found.add(braced(expr, i)); // a selector without a metric name
      i += braced(expr, i).length;
    } else if (c === '(' && labelListNext) {
      i = skipBalanced(expr, i, '(', ')');
      labelListNext = false;
    } else if (/[0-9.]/.test(c)) {
      while (i < expr.length && /[0-9a-zA-Z_.]/.test(expr[i]!)) i += 1; // 0.5, 1e3, 5m
    } else if (/[a-zA-Z_:]/.test(c)) {
      const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(expr.slice(i))![0];
      i += name.length;
      const rest = expr.slice(i);
      const after = rest.trimStart();
      if (LABEL_LIST_KEYWORDS.has(name)) labelListNext = true;
      else if (KEYWORDS.has(name) || AGGREGATIONS.has(name) || after.startsWith('(')) continue;
      else if (rest.startsWith('{')) {
        const matchers = braced(expr, i);
        found.add(`${name}${matchers}`);
        i += matchers.length;
      } else found.add(name);
    } else {
      i += 1;
    }
  }
  return [...found];
}
