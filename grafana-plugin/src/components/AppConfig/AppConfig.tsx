import React, { useState } from 'react';
import type { AppPluginMeta, PluginConfigPageProps, PluginMeta } from '@grafana/data';
import { Alert, Button, Field, FieldSet, Input, SecretInput } from '@grafana/ui';
import { saveSettings } from '../../api/settings';
import { DEFAULT_PROMETHEUS_UID, DEFAULT_REFRESH_SECONDS } from '../../constants';
import { testIds } from '../../testIds';
import type { AppJsonData } from '../../types';

export type AppConfigProps = PluginConfigPageProps<AppPluginMeta<AppJsonData>>;

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

/** Admin page: the API URLs go to jsonData, the token to secureJsonData (the proxy injects it). */
export default function AppConfig({ plugin }: AppConfigProps) {
  const { enabled, pinned, jsonData, secureJsonFields } = plugin.meta as PluginMeta<AppJsonData>;
  const [remediationUrl, setRemediationUrl] = useState(jsonData?.remediationUrl ?? '');
  const [alertmanagerUrl, setAlertmanagerUrl] = useState(jsonData?.alertmanagerUrl ?? '');
  const [prometheusUid, setPrometheusUid] = useState(
    jsonData?.prometheusUid ?? DEFAULT_PROMETHEUS_UID,
  );
  const [refreshSeconds, setRefreshSeconds] = useState(
    String(jsonData?.refreshSeconds ?? DEFAULT_REFRESH_SECONDS),
  );
  const [token, setToken] = useState('');
  const [tokenSet, setTokenSet] = useState(Boolean(secureJsonFields?.['remediationToken']));
  const [error, setError] = useState<string>();
  const [saving, setSaving] = useState(false);

  const onSubmit = async (e: React.FormEvent) => {
    e.preventDefault();
    const problems = [
      urlProblem('Remediation API URL', remediationUrl),
      urlProblem('Alertmanager URL', alertmanagerUrl),
      Number.isInteger(Number(refreshSeconds)) && Number(refreshSeconds) >= 5
        ? undefined
        : `Refresh "${refreshSeconds}" must be a whole number of seconds, 5 or more.`,
      tokenSet || token
        ? undefined
        : 'The remediation API token is required (the plugin proxy sends it; browsers never see it).',
    ].filter((p): p is string => p !== undefined);
    if (problems.length > 0) {
      setError(problems.join(' '));
      return;
    }
    setSaving(true);
    setError(undefined);
    try {
      await saveSettings({
        enabled: true,
        pinned: pinned ?? true,
        jsonData: {
          remediationUrl,
          alertmanagerUrl,
          prometheusUid,
          refreshSeconds: Number(refreshSeconds),
        },
        // Only a new token is sent; an unchanged one stays as Grafana stored it.
        ...(token ? { secureJsonData: { remediationToken: token } } : {}),
      });
      window.location.reload();
    } catch (err) {
      setError((err as Error).message);
      setSaving(false);
    }
  };

  return (
    <form onSubmit={(e) => void onSubmit(e)}>
      {!enabled && (
        <Alert title="The app is not enabled yet" severity="info">
          Saving enables it.
        </Alert>
      )}
      <FieldSet label="Remediation API">
        <Field
          label="URL"
          description="Reached only through the plugin proxy route."
          htmlFor="lw-remediation-url"
        >
          <Input
            id="lw-remediation-url"
            data-testid={testIds.config.remediationUrl}
            value={remediationUrl}
            onChange={(e) => setRemediationUrl(e.currentTarget.value.trim())}
          />
        </Field>
        <Field
          label="Token"
          description="Stored encrypted in secureJsonData; the proxy adds it as a bearer token."
          htmlFor="lw-remediation-token"
        >
          <SecretInput
            id="lw-remediation-token"
            data-testid={testIds.config.remediationToken}
            isConfigured={tokenSet}
            value={token}
            onChange={(e) => setToken(e.currentTarget.value.trim())}
            onReset={() => {
              setTokenSet(false);
              setToken('');
            }}
          />
        </Field>
      </FieldSet>
      <FieldSet label="Alerting and metrics">
        <Field label="Alertmanager URL" htmlFor="lw-alertmanager-url">
          <Input
            id="lw-alertmanager-url"
            data-testid={testIds.config.alertmanagerUrl}
            value={alertmanagerUrl}
            onChange={(e) => setAlertmanagerUrl(e.currentTarget.value.trim())}
          />
        </Field>
        <Field label="Prometheus data source UID" htmlFor="lw-prometheus-uid">
          <Input
            id="lw-prometheus-uid"
            data-testid={testIds.config.prometheusUid}
            value={prometheusUid}
            onChange={(e) => setPrometheusUid(e.currentTarget.value.trim())}
          />
        </Field>
        <Field label="Refresh every (seconds)" htmlFor="lw-refresh">
          <Input
            id="lw-refresh"
            type="number"
            min={5}
            value={refreshSeconds}
            onChange={(e) => setRefreshSeconds(e.currentTarget.value)}
          />
        </Field>
      </FieldSet>
      {error && (
        <Alert title="Not saved" severity="error" data-testid={testIds.config.error}>
          {error}
        </Alert>
      )}
      <Button type="submit" data-testid={testIds.config.submit} disabled={saving}>
        {saving ? 'Saving…' : 'Save settings'}
      </Button>
    </form>
  );
}
