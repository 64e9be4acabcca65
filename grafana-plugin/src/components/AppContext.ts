import { createContext, useContext } from 'react';
import { config } from '@grafana/runtime';
import { ALL_CLUSTERS, DEFAULT_PROMETHEUS_UID, DEFAULT_REFRESH_SECONDS } from '../constants';
import type { AppJsonData } from '../types';

export interface AppSettings {
  prometheusUid: string;
  refreshMs: number;
  /** The regex `$cluster` stands for in the app's queries. */
  clusterRegex: string;
  configured: { remediation: boolean; alertmanager: boolean };
}

export function settingsFrom(jsonData: AppJsonData | undefined): AppSettings {
  return {
    prometheusUid: jsonData?.prometheusUid || DEFAULT_PROMETHEUS_UID,
    refreshMs: Math.max(5, jsonData?.refreshSeconds ?? DEFAULT_REFRESH_SECONDS) * 1000,
    clusterRegex: jsonData?.cluster || ALL_CLUSTERS,
    configured: {
      remediation: !!jsonData?.remediationUrl,
      alertmanager: !!jsonData?.alertmanagerUrl,
    },
  };
}

export const SettingsContext = createContext<AppSettings>(settingsFrom(undefined));

export function useSettings(): AppSettings {
  return useContext(SettingsContext);
}

/** RBAC action the POST routes require (plugin.json `roles` grant it to Editor and up). */
export const EXECUTE_ACTION = 'layerwatch-ops-app.actions:execute';

/**
 * Whether Grafana's proxy will let this user run actions: its RBAC permission when Grafana
 * sends permissions, else the org role (Editor and Admin). The server decides again.
 */
export function grafanaMayExecute(): { allowed: boolean; reason?: string } {
  const user = config.bootData?.user;
  const permissions = user?.permissions as Record<string, boolean> | undefined;
  const role = user?.orgRole ?? 'None';
  const allowed =
    permissions && EXECUTE_ACTION in permissions
      ? !!permissions[EXECUTE_ACTION]
      : role === 'Editor' || role === 'Admin';
  return allowed
    ? { allowed }
    : {
        allowed,
        reason: `Your Grafana role (${role}) cannot run remediation actions: it needs Editor or the "Remediation operator" role.`,
      };
}
