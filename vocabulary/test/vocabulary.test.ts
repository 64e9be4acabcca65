import { describe, expect, it } from 'vitest';
import {
  ACTION_KINDS,
  ACTION_NAMES,
  HTTP_SERVICES,
  LAYERS,
  LAYERWATCH_PORTS,
  PRIORITIES,
  SEVERITY_OF,
  clusterMatcher,
  isActionName,
  layerById,
} from '../src/index.js';

describe('the vocabulary', () => {
  it('gives every port once, across the layers and Layerwatch itself', () => {
    const ports = [
      ...LAYERS.flatMap((layer) => layer.services.map((service) => service.port)),
      ...Object.values(LAYERWATCH_PORTS),
    ];
    expect(new Set(ports).size).toBe(ports.length);
  });

  it('lists the HTTP services of layers 4, 5, 7 and 8 with their layer, not the shared stores', () => {
    expect(HTTP_SERVICES.map((s) => `${s.layer}/${s.name}:${s.port}`)).toEqual([
      '4/agent:8000',
      '4/scheduler:8001',
      '5/refinement:8002',
      '7/evolution:8003',
      '8/resources:8004',
    ]);
  });

  it('names a missing layer and the valid ones', () => {
    expect(layerById('7').name).toBe('evolution');
    expect(() => layerById('9' as never)).toThrow(
      'unknown layer "9": layers are 4, 5, 7, 8, shared',
    );
  });

  it('has a kind for every action and a severity for every priority', () => {
    expect(Object.keys(ACTION_KINDS).sort()).toEqual([...ACTION_NAMES].sort());
    expect(Object.keys(SEVERITY_OF)).toEqual([...PRIORITIES]);
    expect(isActionName('silence')).toBe(true);
    expect(isActionName('rm -rf')).toBe(false);
  });

  it('builds the cluster matcher from the label and the variable', () => {
    expect(clusterMatcher()).toBe('cluster=~"$cluster"');
    expect(clusterMatcher('k8s_cluster')).toBe('k8s_cluster=~"$cluster"');
  });
});
