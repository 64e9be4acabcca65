export { ARTEFACT_SETS, type ArtefactSet } from './artefacts.js';
export { runGenerateCli } from './cli.js';
export {
  REMEDIATION_JOB,
  SECRETS_MOUNT,
  SIM_SERVICES,
  composeAlertmanagerYaml,
  composeGeneratedFiles,
  composePrometheusYaml,
} from './compose.js';
export { describeDrift, expectedArtefacts, findDrift, type Drift } from './drift.js';
export { KUBERNETES_RULES } from './kubernetes.js';
export { GPU_NODES_LIST, parseGpuNodes } from './kubernetes-gpu-nodes.js';
export { HA_REMEDIATION_STORE, parseHaStore } from './kubernetes-ha.js';
export { THRESHOLDS_FILE, pluginThresholds, thresholdsSource } from './plugin-thresholds.js';
export { REPO, repoPath } from './repo.js';
