import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { packageRoot } from '../src/index.js';

const read = (path: string): unknown =>
  parse(readFileSync(join(packageRoot(), 'provisioning', path), 'utf8'));

describe('Grafana provisioning', () => {
  it('has a file provider for the generated dashboards, UI edits refused', () => {
    expect(read('dashboards/layerwatch.yaml')).toEqual({
      apiVersion: 1,
      providers: [
        {
          name: 'layerwatch',
          orgId: 1,
          folder: 'Layerwatch',
          folderUid: 'layerwatch',
          type: 'file',
          disableDeletion: true,
          allowUiUpdates: false,
          updateIntervalSeconds: 30,
          options: {
            path: '/var/lib/grafana/dashboards/layerwatch',
            foldersFromFilesStructure: false,
          },
        },
      ],
    });
  });

  it('has an example Prometheus data source, the default pick of the datasource variable', () => {
    const file = read('datasources/prometheus.yaml') as { datasources: Record<string, unknown>[] };
    expect(file.datasources).toHaveLength(1);
    expect(file.datasources[0]).toMatchObject({
      type: 'prometheus',
      access: 'proxy',
      isDefault: true,
    });
  });

  it('says where to mount dashboards/generated', () => {
    const text = readFileSync(
      join(packageRoot(), 'provisioning/dashboards/layerwatch.yaml'),
      'utf8',
    );
    expect(text).toContain('dashboards/generated:/var/lib/grafana/dashboards/layerwatch');
  });
});
