import React from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { AppPluginMeta } from '@grafana/data';
import { describe, expect, it } from 'vitest';
import { answerWith, NO_ANSWER } from '../../test-backend';
import { testIds } from '../../testIds';
import type { AppJsonData } from '../../types';
import AppConfig, { type AppConfigProps } from './AppConfig';

/** The config page as Grafana renders it: the plugin's meta, and `secureJsonFields` for what is set. */
function renderConfig(meta: Partial<AppPluginMeta<AppJsonData>>) {
  const props = {
    plugin: { meta: { enabled: true, pinned: true, jsonData: {}, ...meta } },
    query: {},
  } as unknown as AppConfigProps;
  return render(<AppConfig {...props} />);
}

const saved = {
  jsonData: {
    remediationUrl: 'http://127.0.0.1:9702',
    alertmanagerUrl: 'http://127.0.0.1:9093',
    prometheusUid: 'prom-a',
    refreshSeconds: 30,
  },
  secureJsonFields: { remediationToken: true },
};

describe('AppConfig page (Grafana settings API stand-in)', () => {
  it('shows the saved settings, the token only as configured', () => {
    renderConfig(saved);
    expect(screen.getByTestId(testIds.config.remediationUrl)).toHaveValue('http://127.0.0.1:9702');
    expect(screen.getByTestId(testIds.config.alertmanagerUrl)).toHaveValue('http://127.0.0.1:9093');
    expect(screen.getByTestId(testIds.config.prometheusUid)).toHaveValue('prom-a');
    expect(screen.getByLabelText('Refresh every (seconds)')).toHaveValue(30);
    expect(screen.getByTestId(testIds.config.remediationToken)).toHaveValue('configured');
  });

  it('says the app is not enabled yet and starts from the defaults when nothing is saved', () => {
    renderConfig({ enabled: false });
    expect(screen.getByText('The app is not enabled yet')).toBeInTheDocument();
    expect(screen.getByTestId(testIds.config.prometheusUid)).toHaveValue('layerwatch-prometheus');
  });

  it('names every wrong field and sends nothing', async () => {
    const calls = answerWith({ status: 200, data: {} });
    renderConfig({});
    const user = userEvent.setup();
    await user.type(screen.getByTestId(testIds.config.remediationUrl), 'ftp://x');
    await user.click(screen.getByTestId(testIds.config.submit));
    const error = screen.getByTestId(testIds.config.error);
    expect(error).toHaveTextContent('Remediation API URL "ftp://x" must start with http://');
    expect(error).toHaveTextContent('Alertmanager URL is required');
    expect(error).toHaveTextContent('The remediation API token is required');
    expect(calls).toHaveLength(0);
  });

  it('disables Save while saving, and sends the new token only to secureJsonData', async () => {
    const calls = answerWith(NO_ANSWER);
    renderConfig(saved);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Reset' }));
    await user.type(screen.getByTestId(testIds.config.remediationToken), 'lw_new_token');
    await user.click(screen.getByTestId(testIds.config.submit));
    expect(screen.getByTestId(testIds.config.submit)).toBeDisabled();
    expect(screen.getByTestId(testIds.config.submit)).toHaveTextContent('Saving…');
    expect(calls[0]).toMatchObject({
      method: 'POST',
      url: '/api/plugins/layerwatch-ops-app/settings',
      data: {
        enabled: true,
        jsonData: saved.jsonData,
        secureJsonData: { remediationToken: 'lw_new_token' },
      },
    });
  });

  it('keeps the cluster regex, refuses one that does not compile, and leaves it out when empty', async () => {
    const calls = answerWith(NO_ANSWER);
    renderConfig({ ...saved, jsonData: { ...saved.jsonData, cluster: 'eu-.*' } });
    const user = userEvent.setup();
    const cluster = screen.getByTestId(testIds.config.cluster);
    expect(cluster).toHaveValue('eu-.*');
    await user.clear(cluster);
    await user.type(cluster, 'eu-(1');
    await user.click(screen.getByTestId(testIds.config.submit));
    expect(screen.getByTestId(testIds.config.error)).toHaveTextContent(
      'Cluster "eu-(1" is not a regular expression',
    );
    expect(calls).toHaveLength(0);
    await user.clear(cluster);
    await user.click(screen.getByTestId(testIds.config.submit));
    expect((calls[0]?.data as { jsonData: object }).jsonData).not.toHaveProperty('cluster');
  });

  it("shows Grafana's refusal to save", async () => {
    answerWith({ status: 403, data: { message: 'Permission denied' } });
    renderConfig(saved);
    await userEvent.setup().click(screen.getByTestId(testIds.config.submit));
    expect(await screen.findByTestId(testIds.config.error)).toHaveTextContent(
      'Saving the app settings failed (HTTP 403): Permission denied',
    );
    expect(screen.getByTestId(testIds.config.submit)).toBeEnabled();
  });
});
