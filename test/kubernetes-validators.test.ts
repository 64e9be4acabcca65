import { beforeAll, describe, expect, it } from 'vitest';
import { ofKind, renderOverlay, theObject, type K8sObject } from './support/kubernetes-render.js';
import { rbacProblems } from './support/kubernetes-rbac.js';
import { knownTypes, validateObject } from './support/kubernetes-schemas.js';
import { hashmod, relabel } from './support/kubernetes-sharding.js';

/**
 * The checkers the manifest tests rely on, shown to catch what they are for: each takes a
 * rendered object, breaks it in one way, and must report exactly that.
 */
let objects: K8sObject[];
beforeAll(async () => {
  objects = await renderOverlay('scale-out');
});

// Each test breaks a rendered object at one path; typing every path would hide the intent.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>;
const clone = (o: K8sObject): Loose => structuredClone(o) as Loose;

describe('validateObject', () => {
  it('accepts the rendered objects as they are', () => {
    expect(objects.flatMap(validateObject)).toEqual([]);
  });

  it('reports a wrong type with its path', () => {
    const sts = clone(theObject(objects, 'StatefulSet', 'layerwatch-probes'));
    sts.spec.replicas = 'three';
    expect(validateObject(sts as K8sObject)).toEqual([
      'StatefulSet/layerwatch-probes: data/spec/replicas must be integer',
    ]);
  });

  it('reports a missing required field', () => {
    const service = clone(theObject(objects, 'Service', 'layerwatch-probes'));
    delete service.spec.ports[0].port;
    expect(validateObject(service as K8sObject)).toEqual([
      'Service/layerwatch-probes: data/spec/ports/0 must have required property port',
    ]);
  });

  it('reports a value outside an enum of the Prometheus Operator CRD', () => {
    const probe = clone(ofKind(objects, 'Probe')[0] as K8sObject);
    probe.spec.targets.staticConfig.relabelingConfigs[1].action = 'hash_mod';
    const [problem] = validateObject(probe as K8sObject);
    expect(problem).toMatch(
      /relabelingConfigs\/1\/action must be equal to one of the allowed values/,
    );
  });

  it('reports a misspelt field in a Kubernetes object and in a Prometheus Operator object', () => {
    const deployment = clone(theObject(objects, 'Deployment', 'layerwatch-remediation'));
    deployment.spec.template.spec.containers[0].resources.limtis = { memory: '1Gi' };
    expect(validateObject(deployment as K8sObject)).toEqual([
      'Deployment/layerwatch-remediation: unknown field /spec/template/spec/containers/0/resources/limtis',
    ]);
    const monitor = clone(theObject(objects, 'ServiceMonitor', 'layerwatch-probes'));
    monitor.spec.endpoints[0].relabelConfigs = monitor.spec.endpoints[0].relabelings;
    delete monitor.spec.endpoints[0].relabelings;
    expect(validateObject(monitor as K8sObject)).toEqual([
      'ServiceMonitor/layerwatch-probes: unknown field /spec/endpoints/0/relabelConfigs',
    ]);
  });

  it('leaves maps (labels, ConfigMap data) open and names kinds it has no schema for', () => {
    const config = clone(ofKind(objects, 'ConfigMap')[0] as K8sObject);
    config.metadata.labels['any.example/label'] = 'x';
    config.data['another.yml'] = 'a: 1';
    expect(validateObject(config as K8sObject)).toEqual([]);
    const unknown = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 's' } };
    expect(validateObject(unknown)[0]).toMatch(
      /^Endpoints\/s: no schema for apiVersion v1 kind Endpoints/,
    );
    expect(knownTypes()).toContain('monitoring.coreos.com/v1 Probe');
  });
});

describe('rbacProblems', () => {
  const role = (): Loose => clone(theObject(objects, 'Role', 'layerwatch-remediation'));

  it('reports wildcards, unneeded verbs and deployments that are not named', () => {
    const wide = role();
    wide.rules[0].verbs = ['*'];
    wide.rules[1].resourceNames = undefined;
    wide.rules[2].verbs = ['get', 'list', 'delete', 'watch'];
    expect(rbacProblems([wide as K8sObject])).toEqual([
      expect.stringMatching(/rules\[0\]: wildcard/),
      'Role ai-platform/layerwatch-remediation rules[0]: apps/deployments verbs * are not needed',
      'Role ai-platform/layerwatch-remediation rules[1]: apps/deployments/scale without resourceNames (every deployments/scale in the namespace)',
      'Role ai-platform/layerwatch-remediation rules[2]: /pods verbs watch are not needed',
    ]);
  });

  it('reports resources the service never acts on, and cluster-wide grants', () => {
    const secrets = role();
    secrets.rules.push({ apiGroups: [''], resources: ['secrets'], verbs: ['get'] });
    const clusterRole = { ...secrets, kind: 'ClusterRole' } as K8sObject;
    expect(rbacProblems([secrets as K8sObject, clusterRole])).toEqual([
      'ClusterRole/layerwatch-remediation: cluster-wide; use a Role per namespace',
      'Role ai-platform/layerwatch-remediation rules[3]: /secrets is not a resource the remediation service acts on',
    ]);
  });
});

describe('relabel (the subset of Prometheus relabeling the sharding uses)', () => {
  it("computes hashmod as Prometheus does (md5's last 8 bytes, big-endian)", () => {
    // md5("a") = 0cc175b9c0f1b6a8 31c399e269772661; 0x31c399e269772661 % 7 = 3
    expect(hashmod('a', 7)).toBe(Number(0x31c399e269772661n % 7n));
    expect(
      relabel({ t: 'x' }, [
        { action: 'HashMod', sourceLabels: ['t'], modulus: 1, targetLabel: 's' },
      ]),
    ).toEqual({
      t: 'x',
      s: '0',
    });
  });

  it('expands ${1} and $1 and leaves the label alone when the regex does not match', () => {
    const configs = [
      { sourceLabels: ['s'], regex: '(\\d+)', targetLabel: 'a', replacement: 'p-${1}.svc' },
      { sourceLabels: ['s'], regex: '(x)', targetLabel: 'b', replacement: '$1' },
    ];
    expect(relabel({ s: '2', b: 'kept' }, configs)).toEqual({ s: '2', a: 'p-2.svc', b: 'kept' });
  });
});
