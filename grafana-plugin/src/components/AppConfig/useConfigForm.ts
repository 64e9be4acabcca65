import type React from 'react';
import { useState } from 'react';
import type { PluginMeta } from '@grafana/data';
import { saveSettings } from '../../api/settings';
import { DEFAULT_PROMETHEUS_UID, DEFAULT_REFRESH_SECONDS } from '../../constants';
import type { AppJsonData } from '../../types';
import { formProblems, jsonDataOf, type ConfigForm } from './configForm';

/** The configuration form's state, its checks and its save; a failed save is shown, not logged. */
export function useConfigForm(meta: PluginMeta<AppJsonData>) {
  const { jsonData, secureJsonFields } = meta;
  const [form, setForm] = useState<ConfigForm>(() => ({
    remediationUrl: jsonData?.remediationUrl ?? '',
    alertmanagerUrl: jsonData?.alertmanagerUrl ?? '',
    prometheusUid: jsonData?.prometheusUid ?? DEFAULT_PROMETHEUS_UID,
    cluster: jsonData?.cluster ?? '',
    refreshSeconds: String(jsonData?.refreshSeconds ?? DEFAULT_REFRESH_SECONDS),
    token: '',
    tokenSet: Boolean(secureJsonFields?.['remediationToken']),
  }));
  const [error, setError] = useState<string>();
  const [saving, setSaving] = useState(false);
  const set = (change: Partial<ConfigForm>) => setForm((f) => ({ ...f, ...change }));

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const problems = formProblems(form);
    if (problems.length > 0) return setError(problems.join(' '));
    setSaving(true);
    setError(undefined);
    try {
      await saveSettings({
        enabled: true,
        pinned: meta.pinned ?? true,
        jsonData: jsonDataOf(form),
        // Only a new token is sent; an unchanged one stays as Grafana stored it.
        ...(form.token ? { secureJsonData: { remediationToken: form.token } } : {}),
      });
      window.location.reload();
    } catch (err) {
      setError((err as Error).message);
      setSaving(false);
    }
  };

  return { form, set, error, saving, submit };
}
