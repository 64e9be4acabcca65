import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { familyTable } from './support/metric-families.js';
import {
  GPU_SECTION_NOTE,
  GPU_SECTION_TITLE,
  gpuMetricFamilies,
} from './support/gpu-metrics-doc.js';

// docs/metrics.md is written by the closed loop (UPDATE_METRICS_DOC=1, test/closed-loop.test.ts),
// which renders this same GPU section; this test checks it without starting the whole loop.
describe('docs/metrics.md, GPU section', () => {
  it('lists every GPU series, both passes, exactly as the collectors render them', async () => {
    const families = await gpuMetricFamilies();
    const names = families.map((f) => f.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'nvidia_smi_gpu_info',
        'nvidia_smi_gpu_readable',
        'nvidia_smi_xid_errors_total',
        'layerwatch_gpu_health_up',
      ]),
    );
    const doc = await readFile(new URL('../docs/metrics.md', import.meta.url), 'utf8');
    expect(doc).toContain(
      `## ${GPU_SECTION_TITLE}\n\n${GPU_SECTION_NOTE}\n\n${familyTable(families)}\n`,
    );
  });
});
