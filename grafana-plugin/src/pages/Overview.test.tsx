import React from 'react';
import { render, screen, waitFor } from '@testing-library/react';
import { setDataSourceSrv, type DataSourceSrv } from '@grafana/runtime';
import { describe, expect, it, vi } from 'vitest';
import { SettingsContext, settingsFrom } from '../components/AppContext';
import { overviewRows } from '../overview/checks';
import { answerWith, NO_ANSWER } from '../test-backend';
import { expectLoading, pastDeadline, renderPage } from '../test-render';
import { testIds } from '../testIds';
import { Overview } from './Overview';

const prometheus = { uid: 'layerwatch-prometheus', name: 'Prometheus', type: 'prometheus' };
setDataSourceSrv({
  getInstanceSettings: () => prometheus,
  getList: () => [prometheus],
} as unknown as DataSourceSrv);

/** Prometheus's 200 answer to an instant query: these samples as a vector. */
function vectorAnswer(samples: Array<[Record<string, string>, number]>) {
  return {
    status: 200,
    data: {
      status: 'success',
      data: {
        resultType: 'vector',
        result: samples.map(([metric, v]) => ({ metric, value: [0, String(v)] })),
      },
    },
  };
}

describe('Overview (Prometheus stand-in)', () => {
  it('says Loading… while Prometheus has not answered', () => {
    answerWith(NO_ANSWER);
    expectLoading(<Overview />);
  });

  it('shows every layer as no data when Prometheus has no samples', async () => {
    answerWith(vectorAnswer([]));
    renderPage(<Overview />);
    for (const { layer } of overviewRows())
      expect(await screen.findByTestId(testIds.overview.layer(layer))).toHaveAttribute(
        'data-state',
        'nodata',
      );
  });

  it('names Prometheus when it never answers, and cancels every query', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const calls = answerWith(NO_ANSWER);
    renderPage(<Overview />);
    await pastDeadline();
    const error = screen.getByTestId(testIds.state.error);
    expect(error).toHaveAttribute('data-backend', 'Prometheus');
    expect(error).toHaveTextContent('Prometheus did not answer within 10 s');
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((c) => c.cancelled)).toBe(true);
  });
});

describe('Overview with samples (Prometheus stand-in)', () => {
  it('colors each layer by its worst threshold and shows values against targets', async () => {
    const calls = answerWith((call) => {
      const query = (call.params as { query: string }).query;
      if (query.startsWith('min by (layer) (probe_success'))
        return vectorAnswer([
          [{ layer: '4' }, 1],
          [{ layer: '7' }, 0],
        ]);
      if (query.includes('http_server_request_duration_seconds')) return vectorAnswer([[{}, 0.2]]);
      if (query.startsWith('1 - slo:sli_error'))
        return vectorAnswer([
          [{ layer: '4' }, 1],
          [{ layer: '7' }, 0.5],
        ]);
      return vectorAnswer([]);
    });
    render(
      <SettingsContext.Provider value={settingsFrom({ refreshSeconds: 3600 })}>
        <Overview />
      </SettingsContext.Provider>,
    );
    await waitFor(() =>
      expect(screen.getByTestId(testIds.overview.layer('7'))).toHaveAttribute(
        'data-state',
        'critical',
      ),
    );
    expect(screen.getByTestId(testIds.overview.layer('4'))).toHaveAttribute('data-state', 'ok');
    expect(
      screen.getByTestId(testIds.overview.threshold('4', 'execution-latency')),
    ).toHaveTextContent('200 ms≤ 500 ms');
    expect(screen.getByTestId(testIds.overview.threshold('7', 'availability'))).toHaveTextContent(
      '50.00 %≥ 99.9 %',
    );
    expect(screen.getByTestId(testIds.overview.layer('8'))).toHaveAttribute('data-state', 'nodata');
    expect(
      calls.every((c) => c.url === '/api/datasources/proxy/uid/layerwatch-prometheus/api/v1/query'),
    ).toBe(true);
  });

  it('shows the error when Prometheus cannot be reached', async () => {
    answerWith({ status: 502, data: { message: 'Bad Gateway: prometheus did not answer' } });
    render(<Overview />);
    expect(await screen.findByTestId(testIds.state.error)).toHaveTextContent(
      '(HTTP 502): Bad Gateway: prometheus did not answer',
    );
  });
});
