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

/** A URL or a UID: one text setting, stored trimmed. */
function TextField({
  form,
  set,
  name,
  label,
  description,
  id,
}: FieldsProps & {
  name: 'remediationUrl' | 'alertmanagerUrl' | 'prometheusUid' | 'cluster';
  label: string;
  description?: string;
  id: string;
}) {
  const onChange = (value: string) => {
    const change: Partial<ConfigForm> = {};
    change[name] = value.trim();
    set(change);
  };
  return (
    <Field label={label} description={description} htmlFor={id}>
      <Input
        id={id}
        data-testid={testIds.config[name]}
        value={form[name]}
        onChange={(e) => onChange(e.currentTarget.value)}
      />
    </Field>
  );
}

function RemediationFields({ form, set }: FieldsProps) {
  return (
    <FieldSet label="Remediation API">
      <TextField
        form={form}
        set={set}
        name="remediationUrl"
        label="URL"
        description="Reached only through the plugin proxy route."
        id="lw-remediation-url"
      />
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
      <TextField
        form={form}
        set={set}
        name="alertmanagerUrl"
        label="Alertmanager URL"
        id="lw-alertmanager-url"
      />
      <TextField
        form={form}
        set={set}
        name="prometheusUid"
        label="Prometheus data source UID"
        id="lw-prometheus-uid"
      />
      <TextField
        form={form}
        set={set}
        name="cluster"
        label="Cluster (regex)"
        description="The cluster label values the Overview reads, as $cluster on the dashboards; empty for every cluster."
        id="lw-cluster"
      />
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
