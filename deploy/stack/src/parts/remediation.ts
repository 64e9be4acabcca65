import { dirname, join } from 'node:path';
import { startRemediationReplicas } from '../ha/remediation-replicas.js';
import { need, type PartContext, type PartSpec } from '../part.js';
import {
  startStackRemediation,
  type RemediationOptions,
  type StartedRemediation,
} from '../remediation.js';

function remediationOptions({ options, host, ports, state }: PartContext): RemediationOptions {
  return {
    stateDir: options.dir,
    tokenDir: options.tokenDir ?? join(options.dir, 'tokens'),
    host,
    port: ports.remediation,
    services: need(state, 'sim', 'remediation').services,
    // Known before Alertmanager starts: remediation silences through it.
    alertmanagerUrl: `http://${host}:${ports.alertmanager}`,
    logLevel: options.logLevel ?? 'warn',
    autoRemediation: options.autoRemediation,
    actions: options.remediationActions,
  };
}

/**
 * The remediation service, acting on the simulated layers; Alertmanager pages it. HA: its
 * replicas on the stack's PostgreSQL, behind the one remediation address.
 */
export const remediationPart: PartSpec = {
  name: 'remediation',
  title: 'Remediation',
  needs: (options) => (options.ha ? ['sim', 'postgres'] : ['sim']),
  async start(ctx) {
    let stop: () => Promise<void>;
    let started: StartedRemediation;
    if (ctx.options.ha) {
      const replicated = await startRemediationReplicas(
        remediationOptions(ctx),
        need(ctx.state, 'postgres', 'remediation'),
      );
      started = replicated;
      stop = () => replicated.stop();
    } else {
      const single = await startStackRemediation(remediationOptions(ctx));
      started = single;
      stop = () => single.running.stop();
    }
    ctx.state.remediation = started;
    const { url, tokens, tokenFiles, replicas } = started;
    return {
      name: 'Remediation',
      urls: [
        `${url}/api/v1/actions  (admin token: ${tokens.admin}, also in ${tokenFiles.admin})`,
        `${url}/api/v1/pages    (tokens for operator, viewer, alertmanager in ${dirname(tokenFiles.admin)})`,
        ...(replicas ?? []).map((r) => `${r.url}  (${r.name})`),
      ],
      stop,
    };
  },
};
