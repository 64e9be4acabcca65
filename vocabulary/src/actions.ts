/**
 * The remediation actions: the names alert rules list in their `layerwatch_actions`
 * annotation, the Grafana app turns into buttons and the remediation service registers.
 */

export const ACTION_NAMES = [
  'restart-deployment',
  'scale-deployment',
  'delete-pod',
  'cordon-gpu-node',
  'drain-gpu-node',
  'rollback-evolution',
  'set-batching',
  'debug-logging',
  'maintenance-mode',
  'silence',
] as const;
export type ActionName = (typeof ACTION_NAMES)[number];

/** What an action talks to: the Kubernetes API, a layer's HTTP API, or Alertmanager. */
export type ActionKind = 'kubernetes' | 'http' | 'alertmanager';

export const ACTION_KINDS: Readonly<Record<ActionName, ActionKind>> = {
  'restart-deployment': 'kubernetes',
  'scale-deployment': 'kubernetes',
  'delete-pod': 'kubernetes',
  'cordon-gpu-node': 'kubernetes',
  'drain-gpu-node': 'kubernetes',
  'rollback-evolution': 'http',
  'set-batching': 'http',
  'debug-logging': 'http',
  'maintenance-mode': 'http',
  silence: 'alertmanager',
};

export function isActionName(name: string): name is ActionName {
  return (ACTION_NAMES as readonly string[]).includes(name);
}
