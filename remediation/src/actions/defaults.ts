import type { ActionName } from '../config/schema.js';
import type { ActionDefaults } from './types.js';

const OPS = ['operator', 'admin'] as const;

/** Each action's built-in settings; `actions:` in the config overrides roles, cooldown and confirmation. */
export const ACTION_DEFAULTS: Readonly<Record<ActionName, ActionDefaults>> = {
  'restart-deployment': {
    title: 'Restart deployment',
    description: 'Rolling restart of a registered deployment (kubectl rollout restart).',
    kind: 'kubernetes',
    destructive: true,
    roles: OPS,
    cooldownSeconds: 300,
    requiresConfirmation: true,
  },
  'scale-deployment': {
    title: 'Scale deployment',
    description: "Sets a registered deployment's replicas, within its configured bounds.",
    kind: 'kubernetes',
    destructive: true,
    roles: OPS,
    cooldownSeconds: 120,
    requiresConfirmation: true,
  },
  'delete-pod': {
    title: 'Delete pod',
    description: 'Deletes one pod of a registered deployment; its ReplicaSet replaces it.',
    kind: 'kubernetes',
    destructive: true,
    roles: ['admin'],
    cooldownSeconds: 60,
    requiresConfirmation: true,
  },
  'cordon-gpu-node': {
    title: 'Cordon GPU node',
    description:
      'Marks a registered GPU node unschedulable (kubectl cordon): no new pods land on it; running ones stay.',
    kind: 'kubernetes',
    destructive: true,
    roles: OPS,
    cooldownSeconds: 30,
    requiresConfirmation: true,
  },
  'drain-gpu-node': {
    title: 'Drain GPU node',
    description:
      'Cordons a registered GPU node, then evicts its pods through the Eviction API (kubectl drain), respecting PodDisruptionBudgets; DaemonSet and mirror pods stay.',
    kind: 'kubernetes',
    destructive: true,
    roles: ['admin'],
    cooldownSeconds: 120,
    requiresConfirmation: true,
  },
  'rollback-evolution': {
    title: 'Roll back evolution',
    description: 'Rolls layer 7 back one generation (or to the given one).',
    kind: 'http',
    destructive: true,
    roles: OPS,
    cooldownSeconds: 600,
    requiresConfirmation: true,
  },
  'set-batching': {
    title: 'Set layer 4 batching',
    description: "Sets the layer 4 agent service's batch size.",
    kind: 'http',
    destructive: false,
    roles: OPS,
    cooldownSeconds: 60,
    requiresConfirmation: false,
  },
  'debug-logging': {
    title: 'Debug logging for a while',
    description: "Raises a layer's services to debug logging; it falls back by itself.",
    kind: 'http',
    destructive: false,
    roles: OPS,
    cooldownSeconds: 0,
    requiresConfirmation: false,
  },
  'maintenance-mode': {
    title: 'Maintenance mode',
    description: 'Puts every layer service in (or out of) maintenance mode.',
    kind: 'http',
    destructive: true,
    roles: ['admin'],
    cooldownSeconds: 60,
    requiresConfirmation: true,
  },
  silence: {
    title: 'Silence (acknowledge)',
    description: 'Creates an Alertmanager silence for the matching alerts, for a while.',
    kind: 'alertmanager',
    destructive: false,
    roles: OPS,
    cooldownSeconds: 0,
    requiresConfirmation: false,
  },
};
