import { describe, expect, it } from 'vitest';
import { matchesEverything, silenceProblem } from '../src/actions/silence-matchers.js';

const re = (value: string, name = 'alertname') => ({ name, value, isRegex: true, isEqual: true });
const eq = (value: string, name = 'alertname') => ({ name, value, isRegex: false, isEqual: true });

describe('silence matcher judgement', () => {
  it.each(['.*', '(.*)', '^.*$', '.*.*', '.*|x', '.{0,}', '[\\s\\S]*', '(|.+)'])(
    'finds that =~%j matches every value',
    (value) => expect(matchesEverything(re(value))).toBe(true),
  );

  it.each(['.+', 'x.*', '^$', 'Layerwatch.*'])('finds that =~%j does not', (value) =>
    expect(matchesEverything(re(value))).toBe(false),
  );

  it('names the problem: match-all, no equality, a regex that does not compile', () => {
    expect(silenceProblem([re('.*'), re('.*', 'job')])).toMatch(
      /^these matchers match every alert/,
    );
    expect(silenceProblem([re('.+')])).toMatch(/^a silence needs at least one equality matcher/);
    expect(silenceProblem([eq('A'), re('(')])).toBe(
      'alertname=~"(" is not a valid regular expression',
    );
    expect(silenceProblem([eq('LayerwatchLayerDown'), re('.*', 'instance')])).toBeUndefined();
  });
});
