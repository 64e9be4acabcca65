import { describe, expect, it } from 'vitest';
import { buildDashboards } from '../src/index.js';

// Drift of dashboards/generated is checked with every other artefact by generate/.
describe('dashboards/generated', () => {
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
});
