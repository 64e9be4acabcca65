import { describe, expect, it } from 'vitest';
import {
  buildDashboards,
  describeDrift,
  findDrift,
  generatedFiles,
  REGENERATE_COMMAND,
} from '../src/index.js';

describe('dashboards/generated', () => {
  it('is what dashboards/src generates (regenerated in memory)', async () => {
    const drift = await findDrift(await generatedFiles());
    // On failure the message says which files drifted and how to regenerate them.
    expect(drift.length === 0 ? '' : describeDrift(drift)).toBe('');
  });

  it('holds the seven dashboards of the runbook', () => {
    expect(buildDashboards().map((d) => d.dashboard.title)).toEqual([
      'Layerwatch / System health',
      'Layerwatch / Layer 4 performance (execution)',
      'Layerwatch / Layer 5 optimization (refinement)',
      'Layerwatch / Layer 7 evolution (evolution)',
      'Layerwatch / GPU and resources (layer 8)',
      'Layerwatch / Telemetry integrity',
      'Layerwatch / SLO overview',
    ]);
  });

  it('names the fix when a file drifted', () => {
    const message = describeDrift([
      { path: 'generated/system-health.json', problem: 'out of date' },
      { path: 'generated/old.json', problem: 'not generated any more' },
    ]);
    expect(message).toBe(
      [
        'dashboards/generated is not what dashboards/src generates:',
        '  dashboards/generated/system-health.json: out of date',
        '  dashboards/generated/old.json: not generated any more',
        `Regenerate with \`${REGENERATE_COMMAND}\` and commit the result.`,
      ].join('\n'),
    );
    expect(REGENERATE_COMMAND).toBe('npx tsx dashboards/src/generate.ts');
  });

  it('finds a file that is missing, edited by hand, or left over', async () => {
    const files = await generatedFiles();
    const [first] = files.keys();
    const edited = new Map(files);
    edited.set(first ?? '', `${files.get(first ?? '') ?? ''} `);
    edited.set('generated/new.json', '{}\n');
    edited.delete('generated/slo-overview.json');
    expect(await findDrift(edited)).toEqual([
      { path: first, problem: 'out of date' },
      { path: 'generated/new.json', problem: 'missing' },
      { path: 'generated/slo-overview.json', problem: 'not generated any more' },
    ]);
  });
});
