import { describe, expect, it } from 'vitest';
import { describeDrift, findDrift } from '../src/drift.js';

describe('alert-rules/generated/', () => {
  it('is what the TypeScript generates (regenerate: npx tsx alert-rules/src/generate.ts)', async () => {
    const drift = await findDrift();
    // On failure the message lists each file and says how to regenerate.
    expect(drift, describeDrift(drift)).toEqual([]);
  });

  it('explains drift with the command that fixes it', () => {
    expect(
      describeDrift([{ path: 'generated/alertmanager/alertmanager.yml', problem: 'differs' }]),
    ).toBe(
      [
        'alert-rules/generated/ is out of date with alert-rules/src:',
        '  generated/alertmanager/alertmanager.yml: differs',
        'Regenerate with `npx tsx alert-rules/src/generate.ts` (from the repository root) and commit the result.',
      ].join('\n'),
    );
  });
});
