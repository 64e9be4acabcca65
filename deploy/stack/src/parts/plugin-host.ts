import { readFile } from 'node:fs/promises';
import { startPluginHost } from '@layerwatch/grafana-plugin/preview-host';
import { need, type PartSpec } from '../part.js';

const DEFAULT_USERS = [
  { login: 'operator', role: 'Editor' },
  { login: 'viewer', role: 'Viewer' },
] as const;

/** The Grafana app in its preview host, proxying to remediation, Alertmanager and Prometheus. */
export const pluginHostPart: PartSpec = {
  name: 'pluginHost',
  title: 'Layerwatch app (preview)',
  needs: ['remediation', 'alertmanager', 'prometheus'],
  async start({ options, host, ports, state }) {
    const remediation = need(state, 'remediation', 'pluginHost');
    const pluginHost = await startPluginHost({
      port: ports.pluginHost,
      host,
      // The proxy injects the operator token: the plugin's buttons act as an operator.
      remediationToken: (await readFile(remediation.tokenFiles.operator, 'utf8')).trim(),
      remediationUrl: remediation.url,
      alertmanagerUrl: need(state, 'alertmanager', 'pluginHost').url,
      prometheusUrl: need(state, 'prometheus', 'pluginHost').url,
      users: [...(options.pluginUsers ?? DEFAULT_USERS)],
    });
    state.pluginHost = pluginHost;
    return {
      name: 'Layerwatch app (preview)',
      urls: [
        `${pluginHost.url}/a/${pluginHost.pluginId}/overview  (signed in as admin; /login?user=operator or viewer switches)`,
      ],
      stop: () => pluginHost.stop(),
    };
  },
};
