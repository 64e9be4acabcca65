import { GENERATED, expectedFiles as alertRulesFiles, packageRoot } from '@layerwatch/alert-rules';
import { GENERATED_DIR, generatedFiles as dashboardFiles } from '@layerwatch/dashboards';
import { composeGeneratedFiles } from './compose.js';
import { kubernetesFiles } from './kubernetes.js';
import { gpuNodeFiles } from './kubernetes-gpu-nodes.js';
import { haFiles } from './kubernetes-ha.js';
import { THRESHOLDS_FILE, thresholdsSource } from './plugin-thresholds.js';

/**
 * One family of generated files. `owns` are folders that hold nothing but generated files,
 * so a file there that is no longer generated is stale too.
 */
export interface ArtefactSet {
  readonly name: string;
  readonly owns: readonly string[];
  /** Repository-relative path → content, exactly as it is committed (formatted). */
  files(): Promise<Map<string, string>>;
}

// alert-rules' files, built once per run: the Kubernetes copy reads the same build.
let alertRulesBuild: Promise<Map<string, string>> | undefined;
function alertRules(): Promise<Map<string, string>> {
  alertRulesBuild ??= alertRulesFiles(packageRoot());
  return alertRulesBuild;
}

function prefixed(prefix: string, files: ReadonlyMap<string, string>): Map<string, string> {
  return new Map([...files].map(([path, text]) => [`${prefix}/${path}`, text]));
}

/** Every committed artefact, built from the one config (alert-rules/src/config.ts). */
export const ARTEFACT_SETS: readonly ArtefactSet[] = [
  {
    name: 'Prometheus rules, promtool tests, Alertmanager config',
    owns: [`alert-rules/${GENERATED.dir}`],
    files: async () => prefixed('alert-rules', await alertRules()),
  },
  {
    name: 'Grafana dashboards',
    owns: [`dashboards/${GENERATED_DIR}`],
    files: async () => prefixed('dashboards', await dashboardFiles()),
  },
  {
    name: "the Grafana app's thresholds",
    owns: [],
    files: async () => new Map([[THRESHOLDS_FILE, await thresholdsSource()]]),
  },
  { name: 'Docker Compose configs', owns: [], files: composeGeneratedFiles },
  {
    name: 'Kubernetes manifests',
    owns: [],
    files: async () => kubernetesFiles(await alertRules()),
  },
  { name: "Kubernetes GPU nodes' remediation config and RBAC", owns: [], files: gpuNodeFiles },
  {
    name: "Kubernetes ha overlay's counts, probe sharding and remediation config",
    owns: [],
    files: haFiles,
  },
];
