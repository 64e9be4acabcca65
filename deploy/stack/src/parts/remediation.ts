import { dirname, join } from 'node:path';
import { startRemediationReplicas } from '../ha/remediation-replicas.js';
import { need, type PartContext, type PartSpec } from '../part.js';
import {
  startStackRemediation,
  type RemediationOptions,
  type StartedRemediation,
} from '../remediation.js';
import { simulatedKubernetesSettings } from '../simulated-kubernetes.js';

async function remediationOptions({
  options,
  host,
  ports,
  state,
}: PartContext): Promise<RemediationOptions> {
  const kube = need(state, 'sim', 'remediation').kubernetes;
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
    // The simulated GPU node's SIMULATED Kubernetes API: the node actions act on it.
    kubernetes: kube && (await simulatedKubernetesSettings(options.dir, kube)),
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
        await remediationOptions(ctx),
        need(ctx.state, 'postgres', 'remediation'),
      );
      started = replicated;
      stop = () => replicated.stop();
    } else {
      const single = await startStackRemediation(await remediationOptions(ctx));
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
        ...(ctx.state.sim?.kubernetes
          ? [
              `cordon-gpu-node, drain-gpu-node on ${[...ctx.state.sim.kubernetes.nodes.keys()].join(', ')}  (SIMULATED Kubernetes API, kubeconfig in ${join(ctx.options.dir, 'simulated-kubernetes')})`,
            ]
          : []),
      ],
      stop,
    };
  },
};
