import type { ActionInfo } from './types';

/** The layer 7 rollback as the remediation API lists it: destructive, confirmed, for operators. */
export function rollbackAction(paramsSchema: ActionInfo['paramsSchema']): ActionInfo {
  return {
    name: 'rollback-evolution',
    title: 'Roll back evolution',
    description: 'POST /api/evolution/rollback on layer 7',
    kind: 'http',
    destructive: true,
    requiresConfirmation: true,
    roles: ['operator', 'admin'],
    cooldownSeconds: 60,
    paramsSchema,
    allowed: true,
  };
}
