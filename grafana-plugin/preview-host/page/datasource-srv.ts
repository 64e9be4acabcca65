import type { DataSourceInstanceSettings } from '@grafana/data';
import type { DataSourceSrv } from '@grafana/runtime';

export interface HostDatasource {
  uid: string;
  name: string;
  type: string;
  isDefault: boolean;
}

/** Grafana's DataSourceSrv for the data sources the host serves (its Prometheus, by uid). */
export function createDataSourceSrv(datasources: HostDatasource[]): DataSourceSrv {
  const settings = datasources.map(
    (d) =>
      ({
        id: 1,
        uid: d.uid,
        name: d.name,
        type: d.type,
        isDefault: d.isDefault,
        access: 'proxy',
        url: `/api/datasources/proxy/uid/${d.uid}`,
        jsonData: {},
        readOnly: true,
        meta: { id: d.type, name: d.type, type: 'datasource' },
      }) as unknown as DataSourceInstanceSettings,
  );
  const find = (ref: unknown) => {
    if (ref === null || ref === undefined) return settings.find((s) => s.isDefault);
    const key = typeof ref === 'string' ? ref : (ref as { uid?: string }).uid;
    return settings.find((s) => s.uid === key || s.name === key);
  };
  const srv: Partial<DataSourceSrv> = {
    getInstanceSettings: find,
    getList: (filters) => settings.filter((s) => !filters?.type || s.type === filters.type),
    get: (ref) =>
      Promise.reject(
        new Error(
          `The plugin host serves no DataSourceApi (asked for ${JSON.stringify(ref)}); query through /api/datasources/proxy.`,
        ),
      ),
    reload: () => undefined,
  };
  return srv as DataSourceSrv;
}
