import { dirname, join } from 'node:path';
import { need, type PartSpec } from '../part.js';
import { startStackRemediation } from '../remediation.js';

/** The remediation service, acting on the simulated layers; Alertmanager pages it. */
export const remediationPart: PartSpec = {
  name: 'remediation',
  title: 'Remediation',
  needs: ['sim'],
  async start({ options, host, ports, state }) {
    const started = await startStackRemediation({
      stateDir: options.dir,
      tokenDir: options.tokenDir ?? join(options.dir, 'tokens'),
      host,
      port: ports.remediation,
      services: need(state, 'sim', 'remediation').services,
      // Known before Alertmanager starts: remediation silences through it.
      alertmanagerUrl: `http://${host}:${ports.alertmanager}`,
      logLevel: options.logLevel ?? 'warn',
      autoRemediation: options.autoRemediation,
    });
    state.remediation = started;
    const { running, tokens, tokenFiles } = started;
    return {
      name: 'Remediation',
      urls: [
        `${running.url}/api/v1/actions  (admin token: ${tokens.admin}, also in ${tokenFiles.admin})`,
        `${running.url}/api/v1/pages    (tokens for operator, viewer, alertmanager in ${dirname(tokenFiles.admin)})`,
      ],
      stop: () => running.stop(),
    };
  },
};
