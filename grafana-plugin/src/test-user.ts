import { config } from '@grafana/runtime';

/** Signs the component tests' Grafana user in with an org role (and no RBAC permissions). */
export function asRole(role: 'Viewer' | 'Editor' | 'Admin'): void {
  Object.assign(config.bootData, {
    user: { ...config.bootData.user, orgRole: role, permissions: {} },
  });
}
