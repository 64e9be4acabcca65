import { getDataSourceSrv } from '@grafana/runtime';
import type { Sample } from '../overview/checks';
import { ApiError, request } from './http';

interface VectorResponse {
  status: string;
  error?: string;
  data?: {
    resultType: string;
    result: Array<{ metric: Record<string, string>; value: [number, string] }>;
  };
}

/** The Prometheus data source the app reads, by uid; an error says which one was looked for. */
export function prometheusDatasource(uid: string): { uid: string; name: string } {
  const settings = getDataSourceSrv().getInstanceSettings(uid);
  if (!settings || settings.type !== 'prometheus') {
    const found = getDataSourceSrv()
      .getList({ type: 'prometheus' })
      .map((d) => d.uid)
      .join(', ');
    throw new ApiError(
      `No Prometheus data source with uid "${uid}"; set one on the app's configuration page (found: ${found || 'none'}).`,
      0,
    );
  }
  return { uid: settings.uid, name: settings.name };
}

/** One instant query through Grafana's data source proxy (`/api/datasources/proxy/uid/…`). */
export async function instantQuery(
  uid: string,
  query: string,
  signal?: AbortSignal,
): Promise<Sample[]> {
  const body = await request<VectorResponse>(
    'Prometheus',
    `Prometheus query ${query}`,
    {
      url: `/api/datasources/proxy/uid/${encodeURIComponent(uid)}/api/v1/query`,
      params: { query },
    },
    signal,
  );
  if (body.status !== 'success' || !body.data) {
    throw new ApiError(`Prometheus query ${query} failed: ${body.error ?? body.status}`, 200);
  }
  return body.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
}
