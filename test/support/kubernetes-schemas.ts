/**
 * Schema validation of rendered Kubernetes objects, offline. The schemas are those of the
 * pinned devDependencies `kubernetes-models` (the Kubernetes OpenAPI schemas) and
 * `@kubernetes-models/prometheus-operator` (the Prometheus Operator CRDs' OpenAPI
 * schemas), which ship them compiled into ajv validators: types, required fields, enums,
 * formats and patterns. Those schemas, like the API server's, allow unknown fields, which
 * would let a misspelt key (`relabelings` for `relabelingConfigs`) through; kubectl's
 * strict field validation would reject it, so `validateObject` rejects it too (see
 * `unknownFields`).
 */
import { DaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { Alertmanager } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Alertmanager';
import { PodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import { Probe } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Probe';
import { Prometheus } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Prometheus';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import type { K8sObject } from './kubernetes-render.js';

/** A model class: its prototype's `validate` runs the compiled schema against `this`. */
interface ModelClass {
  readonly apiVersion: string;
  readonly kind: string;
  readonly prototype: { validate(): void };
}

const MODELS: readonly ModelClass[] = [
  Namespace,
  ConfigMap,
  Secret,
  Service,
  ServiceAccount,
  PersistentVolumeClaim,
  Deployment,
  StatefulSet,
  DaemonSet,
  PodDisruptionBudget,
  Role,
  RoleBinding,
  ClusterRole,
  ClusterRoleBinding,
  ServiceMonitor,
  PodMonitor,
  Probe,
  PrometheusRule,
  Prometheus,
  Alertmanager,
];

const BY_TYPE = new Map(MODELS.map((m) => [`${m.apiVersion} ${m.kind}`, m]));

/** Every problem of one object, each naming the object and the JSON path; [] when valid. */
export function validateObject(object: K8sObject): string[] {
  const id = `${object.kind}/${object.metadata.name}`;
  const model = BY_TYPE.get(`${object.apiVersion} ${object.kind}`);
  if (!model) {
    const known = [...BY_TYPE.keys()].join(', ');
    return [
      `${id}: no schema for apiVersion ${object.apiVersion} kind ${object.kind} (have: ${known})`,
    ];
  }
  const tracker = new AccessTracker();
  try {
    model.prototype.validate.call(tracker.wrap(asDecoded(object), ''));
  } catch (error) {
    return [`${id}: ${error instanceof Error ? error.message : String(error)}`];
  }
  return tracker.unknownFields().map((path) => `${id}: unknown field ${path}`);
}

/**
 * A Secret's `data` as the API server decodes it: kustomize wraps base64 at 76 columns and
 * Go's decoder skips the line breaks, where the schema's `byte` format would not.
 */
function asDecoded(object: K8sObject): K8sObject {
  if (object.kind !== 'Secret' || object.data === undefined) return object;
  const data = Object.fromEntries(
    Object.entries(object.data as Record<string, string>).map(([k, v]) => [
      k,
      v.replace(/\s+/g, ''),
    ]),
  );
  return { ...object, data };
}

/** The compiled validators read each property their schema declares; see `unknownFields`. */
class AccessTracker {
  private readonly seen = new Map<
    string,
    { value: object; read: Set<string>; enumerated: boolean }
  >();

  wrap(value: unknown, path: string): unknown {
    if (value === null || typeof value !== 'object') return value;
    let record = this.seen.get(path);
    if (!record) {
      record = { value, read: new Set(), enumerated: false };
      this.seen.set(path, record);
    }
    const entry = record;
    return new Proxy(value, {
      get: (target, key, receiver): unknown => {
        const result: unknown = Reflect.get(target, key, receiver);
        if (typeof key !== 'string') return result;
        entry.read.add(key);
        return Object.hasOwn(target, key) ? this.wrap(result, `${path}/${key}`) : result;
      },
      ownKeys: (target) => {
        entry.enumerated = true;
        return Reflect.ownKeys(target);
      },
    });
  }

  /**
   * Keys of an object that the validator looked into but never read. A schema with
   * properties makes the validator read each declared one (present or not); a map
   * (`additionalProperties`) makes it enumerate the keys; an object it never looked into is
   * free-form (`x-kubernetes-preserve-unknown-fields`) and is left alone.
   */
  unknownFields(): string[] {
    const unknown: string[] = [];
    for (const [path, { value, read, enumerated }] of this.seen) {
      if (Array.isArray(value) || enumerated || read.size === 0) continue;
      for (const key of Object.keys(value)) {
        if (!read.has(key)) unknown.push(`${path}/${key}`);
      }
    }
    return unknown;
  }
}

/** The kinds `validateObject` has schemas for, as `apiVersion kind`. */
export function knownTypes(): string[] {
  return [...BY_TYPE.keys()];
}
