import { ALERTMANAGER_PROXY } from '../constants';
import type { AmAlert } from '../types';
import { request } from './http';

/** Firing alerts from Alertmanager's API v2, through the plugin's read-only route. */
export function listAlerts(signal?: AbortSignal): Promise<AmAlert[]> {
  return request(
    'Alertmanager',
    'Reading firing alerts from Alertmanager',
    {
      url: `${ALERTMANAGER_PROXY}/api/v2/alerts`,
      params: { active: 'true', silenced: 'true', inhibited: 'false' },
    },
    signal,
  );
}
