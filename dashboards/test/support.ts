import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CONFIG } from '@layerwatch/alert-rules';
import { packageRoot, PLUGIN_ID, type LintDashboard, type LintOptions } from '../src/index.js';

/** A generated dashboard as committed: the file name and its parsed JSON. */
export interface CommittedDashboard {
  readonly file: string;
  readonly json: GeneratedDashboard;
}

export interface GeneratedPanel {
  readonly id: number;
  readonly type: string;
  readonly title: string;
  readonly targets: readonly { readonly expr: string; readonly refId: string }[];
  readonly fieldConfig: {
    readonly defaults: {
      readonly unit?: string;
      readonly thresholds?: { readonly steps: readonly { value: number | null; color: string }[] };
    };
  };
  readonly links: readonly { readonly title: string; readonly url: string }[];
}

export interface GeneratedDashboard {
  readonly uid: string;
  readonly title: string;
  readonly panels: readonly GeneratedPanel[];
  readonly templating: NonNullable<LintDashboard['templating']>;
  readonly annotations: NonNullable<LintDashboard['annotations']>;
  readonly description?: string;
}

export function committedDashboards(): CommittedDashboard[] {
  const dir = join(packageRoot(), 'generated');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((file) => ({
      file,
      json: JSON.parse(readFileSync(join(dir, file), 'utf8')) as GeneratedDashboard,
    }));
}

export const LINT_OPTIONS: LintOptions = {
  runbookBaseUrl: DEFAULT_CONFIG.runbookBaseUrl,
  pluginId: PLUGIN_ID,
  clusterLabel: DEFAULT_CONFIG.clusterLabel,
};

/** A deep copy to break in a test. */
export function copy<T>(value: T): T {
  return structuredClone(value);
}
