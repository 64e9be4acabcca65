import { GENERATED } from '@layerwatch/alert-rules';

/**
 * The PrometheusRule the kustomize base ships: the alert-rules' Prometheus Operator file,
 * byte for byte (kustomize cannot read outside its folder, so it is committed twice).
 */
export const KUBERNETES_RULES =
  'deploy/kubernetes/base/alert-rules/layerwatch.prometheusrules.yaml';

export function kubernetesFiles(alertRules: ReadonlyMap<string, string>): Map<string, string> {
  const rules = alertRules.get(GENERATED.prometheusRule);
  if (rules === undefined) throw new Error(`alert-rules generates no ${GENERATED.prometheusRule}`);
  return new Map([[KUBERNETES_RULES, rules]]);
}
