import React from 'react';
import type { AppPluginMeta, PluginConfigPageProps, PluginMeta } from '@grafana/data';
import { Alert, Button, Field, FieldSet, Input, SecretInput } from '@grafana/ui';
import { testIds } from '../../testIds';
import type { AppJsonData } from '../../types';
import type { ConfigForm } from './configForm';
import { useConfigForm } from './useConfigForm';

export type AppConfigProps = PluginConfigPageProps<AppPluginMeta<AppJsonData>>;

interface FieldsProps {
  form: ConfigForm;
  set: (change: Partial<ConfigForm>) => void;
}

function RemediationFields({ form, set }: FieldsProps) {
  return (
    <FieldSet label="Remediation API">
      <Field
        label="URL"
        description="Reached only through the plugin proxy route."
        htmlFor="lw-remediation-url"
      >
        <Input
          id="lw-remediation-url"
          data-testid={testIds.config.remediationUrl}
          value={form.remediationUrl}
          onChange={(e) => set({ remediationUrl: e.currentTarget.value.trim() })}
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
          isConfigured={form.tokenSet}
          value={form.token}
          onChange={(e) => set({ token: e.currentTarget.value.trim() })}
          onReset={() => set({ tokenSet: false, token: '' })}
        />
      </Field>
    </FieldSet>
  );
}

function AlertingFields({ form, set }: FieldsProps) {
  return (
    <FieldSet label="Alerting and metrics">
      <Field label="Alertmanager URL" htmlFor="lw-alertmanager-url">
        <Input
          id="lw-alertmanager-url"
          data-testid={testIds.config.alertmanagerUrl}
          value={form.alertmanagerUrl}
          onChange={(e) => set({ alertmanagerUrl: e.currentTarget.value.trim() })}
        />
      </Field>
      <Field label="Prometheus data source UID" htmlFor="lw-prometheus-uid">
        <Input
          id="lw-prometheus-uid"
          data-testid={testIds.config.prometheusUid}
          value={form.prometheusUid}
          onChange={(e) => set({ prometheusUid: e.currentTarget.value.trim() })}
        />
      </Field>
      <Field label="Refresh every (seconds)" htmlFor="lw-refresh">
        <Input
          id="lw-refresh"
          type="number"
          min={5}
          value={form.refreshSeconds}
          onChange={(e) => set({ refreshSeconds: e.currentTarget.value })}
        />
      </Field>
    </FieldSet>
  );
}

/** Admin page: the API URLs go to jsonData, the token to secureJsonData (the proxy injects it). */
export default function AppConfig({ plugin }: AppConfigProps) {
  const meta = plugin.meta as PluginMeta<AppJsonData>;
  const { form, set, error, saving, submit } = useConfigForm(meta);
  return (
    <form onSubmit={(e) => void submit(e)}>
      {!meta.enabled && (
        <Alert title="The app is not enabled yet" severity="info">
          Saving enables it.
        </Alert>
      )}
      <RemediationFields form={form} set={set} />
      <AlertingFields form={form} set={set} />
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
