/**
 * What "the narrowest RBAC" means for Layerwatch, as checks on rendered objects: namespaced
 * Roles, no wildcard, every verb the remediation service's actions need and no other, and
 * deployments named one by one. The one cluster-wide grant is the GPU node actions'
 * ClusterRole (nodes are cluster-scoped): its nodes named one by one, pods only listed,
 * evictions only created. The ha overlay's Prometheus gets its own Role, read-only service
 * discovery, checked against its own list.
 */
import { at, ofKind, type K8sObject } from './kubernetes-render.js';

interface PolicyRule {
  readonly apiGroups?: readonly string[];
  readonly resources?: readonly string[];
  readonly resourceNames?: readonly string[];
  readonly verbs?: readonly string[];
  readonly nonResourceURLs?: readonly string[];
}

type Allowed = Readonly<Record<string, { verbs: readonly string[]; named: boolean }>>;

/**
 * The verbs allowed per resource. Deployments and their scale subresource must name their
 * objects; pods cannot be named (they get new names), so only get (to check that a pod
 * belongs to the deployment), list and delete.
 */
const ALLOWED: Allowed = {
  'apps/deployments': { verbs: ['get', 'patch'], named: true },
  'apps/deployments/scale': { verbs: ['get', 'patch', 'update'], named: true },
  '/pods': { verbs: ['get', 'list', 'delete'], named: false },
};

/** The GPU node actions' ClusterRole (generate/src/kubernetes-gpu-nodes.ts) and its verbs. */
export const GPU_NODES_CLUSTER_ROLE = 'layerwatch-remediation-gpu-nodes';
const ALLOWED_CLUSTER_WIDE: Allowed = {
  '/nodes': { verbs: ['get', 'patch'], named: true },
  '/pods': { verbs: ['list'], named: false },
  '/pods/eviction': { verbs: ['create'], named: false },
};

/**
 * The ha overlay's Prometheus pods (overlays/ha/prometheus-rbac.yaml): service discovery
 * only, read-only, per namespace.
 */
export const PROMETHEUS_DISCOVERY_ROLE = 'layerwatch-prometheus';
const DISCOVERY = { verbs: ['get', 'list', 'watch'], named: false };
const ALLOWED_DISCOVERY: Allowed = {
  '/services': DISCOVERY,
  '/endpoints': DISCOVERY,
  '/pods': DISCOVERY,
  'discovery.k8s.io/endpointslices': DISCOVERY,
};

/** Every way the rendered RBAC is wider than ALLOWED; [] when it is narrow. */
export function rbacProblems(objects: readonly K8sObject[]): string[] {
  const problems: string[] = [];
  for (const role of ofKind(objects, 'ClusterRole')) {
    if (role.metadata.name !== GPU_NODES_CLUSTER_ROLE) {
      problems.push(`ClusterRole/${role.metadata.name}: cluster-wide; use a Role per namespace`);
      continue;
    }
    problems.push(
      ...rulesProblems(`ClusterRole/${role.metadata.name}`, role, ALLOWED_CLUSTER_WIDE),
    );
  }
  for (const binding of ofKind(objects, 'ClusterRoleBinding')) {
    const id = `ClusterRoleBinding/${binding.metadata.name}`;
    if (at(binding, 'roleRef', 'name') !== GPU_NODES_CLUSTER_ROLE) {
      problems.push(`${id}: cluster-wide; use a RoleBinding per namespace`);
    }
  }
  for (const role of ofKind(objects, 'Role')) {
    const id = `Role ${role.metadata.namespace ?? '(no namespace)'}/${role.metadata.name}`;
    const allowed = role.metadata.name === PROMETHEUS_DISCOVERY_ROLE ? ALLOWED_DISCOVERY : ALLOWED;
    problems.push(...rulesProblems(id, role, allowed));
  }
  for (const binding of ofKind(objects, 'RoleBinding')) {
    const id = `RoleBinding ${binding.metadata.namespace ?? ''}/${binding.metadata.name}`;
    if (at(binding, 'roleRef', 'kind') !== 'Role') problems.push(`${id}: binds a ClusterRole`);
  }
  return problems;
}

function rulesProblems(id: string, role: K8sObject, allowed: Allowed): string[] {
  const rules = (at(role, 'rules') ?? []) as readonly PolicyRule[];
  return rules.flatMap((rule, index) => ruleProblems(`${id} rules[${index}]`, rule, allowed));
}

function ruleProblems(id: string, rule: PolicyRule, allowedVerbs: Allowed): string[] {
  const problems: string[] = [];
  if (rule.nonResourceURLs?.length) problems.push(`${id}: nonResourceURLs`);
  const fields = [rule.apiGroups, rule.resources, rule.resourceNames, rule.verbs];
  if (fields.some((list) => list?.some((item) => item.includes('*')))) {
    problems.push(`${id}: wildcard in ${JSON.stringify(rule)}`);
  }
  for (const group of rule.apiGroups ?? []) {
    for (const resource of rule.resources ?? []) {
      const key = `${group}/${resource}`;
      const allowed = allowedVerbs[key];
      if (!allowed) {
        problems.push(`${id}: ${key} is not a resource the remediation service acts on`);
        continue;
      }
      const extra = (rule.verbs ?? []).filter((verb) => !allowed.verbs.includes(verb));
      if (extra.length) problems.push(`${id}: ${key} verbs ${extra.join(', ')} are not needed`);
      if (allowed.named && !rule.resourceNames?.length) {
        problems.push(`${id}: ${key} without resourceNames (every ${resource} in the namespace)`);
      }
    }
  }
  return problems;
}

/**
 * The verbs granted per `namespace group/resource` (`(cluster)` for a ClusterRole) to the
 * roles named `roleName` (or, by default, every role but Prometheus's discovery), for the
 * test to compare with its needs.
 */
export function grantedVerbs(
  objects: readonly K8sObject[],
  roleName?: string,
): Map<string, Set<string>> {
  const granted = new Map<string, Set<string>>();
  const roles = [...ofKind(objects, 'Role'), ...ofKind(objects, 'ClusterRole')].filter((role) =>
    roleName === undefined
      ? role.metadata.name !== PROMETHEUS_DISCOVERY_ROLE
      : role.metadata.name === roleName,
  );
  for (const role of roles) {
    for (const rule of (at(role, 'rules') ?? []) as readonly PolicyRule[]) {
      for (const group of rule.apiGroups ?? []) {
        for (const resource of rule.resources ?? []) {
          const key = `${role.metadata.namespace ?? '(cluster)'} ${group}/${resource}`;
          const verbs = granted.get(key) ?? new Set<string>();
          for (const verb of rule.verbs ?? []) verbs.add(verb);
          granted.set(key, verbs);
        }
      }
    }
  }
  return granted;
}
