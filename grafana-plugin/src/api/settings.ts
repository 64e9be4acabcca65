import { PLUGIN_ID } from '../constants';
import type { AppJsonData, AppSecureJsonData } from '../types';
import { request } from './http';

/**
 * Saves the app's settings in Grafana: secrets go to secureJsonData, which Grafana encrypts
 * and never sends back (only `secureJsonFields` says one is set).
 */
export function saveSettings(body: {
  enabled: boolean;
  pinned: boolean;
  jsonData: AppJsonData;
  secureJsonData?: AppSecureJsonData;
}): Promise<unknown> {
  return request('Grafana', 'Saving the app settings', {
    url: `/api/plugins/${PLUGIN_ID}/settings`,
    method: 'POST',
    data: body,
  });
}
