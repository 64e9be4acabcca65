import type { AppJsonData } from '../../types';

/** What the admin typed on the configuration page, before it is checked. */
export interface ConfigForm {
  remediationUrl: string;
  alertmanagerUrl: string;
  prometheusUid: string;
  /** Regex of the cluster label values the app reads; '' means every cluster. */
  cluster: string;
  refreshSeconds: string;
  /** A new token; '' keeps the stored one (when `tokenSet`). */
  token: string;
  tokenSet: boolean;
}

/** Where a URL field is wrong, in words; undefined when it is a usable http(s) URL. */
export function urlProblem(field: string, value: string): string | undefined {
  if (value === '') return `${field} is required, e.g. http://127.0.0.1:9702.`;
  try {
    const u = new URL(value);
    if (u.protocol !== 'http:' && u.protocol !== 'https:')
      return `${field} "${value}" must start with http:// or https://.`;
    return undefined;
  } catch {
    return `${field} "${value}" is not a URL; write it as http://host:port.`;
  }
}

/** Where the cluster regex is wrong, in words (Prometheus's RE2 is close to JS here). */
export function clusterProblem(value: string): string | undefined {
  try {
    new RegExp(`^(?:${value})$`);
    return undefined;
  } catch {
    return `Cluster "${value}" is not a regular expression; write e.g. prod-.* or eu-1|eu-2 (empty: every cluster).`;
  }
}

/** Every problem with the form, each a sentence; empty when it can be saved. */
export function formProblems(form: ConfigForm): string[] {
  const refresh = Number(form.refreshSeconds);
  return [
    urlProblem('Remediation API URL', form.remediationUrl),
    urlProblem('Alertmanager URL', form.alertmanagerUrl),
    clusterProblem(form.cluster),
    Number.isInteger(refresh) && refresh >= 5
      ? undefined
      : `Refresh "${form.refreshSeconds}" must be a whole number of seconds, 5 or more.`,
    form.tokenSet || form.token
      ? undefined
      : 'The remediation API token is required (the plugin proxy sends it; browsers never see it).',
  ].filter((p): p is string => p !== undefined);
}

export function jsonDataOf(form: ConfigForm): AppJsonData {
  return {
    remediationUrl: form.remediationUrl,
    alertmanagerUrl: form.alertmanagerUrl,
    prometheusUid: form.prometheusUid,
    refreshSeconds: Number(form.refreshSeconds),
    ...(form.cluster !== '' && { cluster: form.cluster }),
  };
}
