import type { RunningLoop } from '@layerwatch/stack';

/** A page of the remediation service's on-call inbox, as `GET /api/v1/pages` answers it. */
export interface InboxPage {
  readonly id: string;
  readonly fingerprint: string;
  readonly status: 'firing' | 'resolved';
  readonly alertname: string;
  readonly priority: string;
  readonly layer?: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly startsAt: string;
  readonly endsAt?: string;
  readonly receivedAt: string;
  readonly receiver: string;
  readonly deliveries: number;
}

export interface AuditRow {
  readonly actor: string;
  readonly action?: string;
  readonly mode: string;
  readonly outcome: string;
  readonly status: number;
}

type ServiceName = keyof RunningLoop['sim']['services'];

/** What the client talks to: the closed loop, or the HA stack's global Prometheus and remediation address. */
export type LoopEndpoints = Pick<RunningLoop, 'sim' | 'tokens'> & {
  readonly prometheus: { readonly url: string };
  readonly remediation: { readonly url: string };
  readonly alertmanager: { readonly url: string };
};

/** What the closed-loop test and the soak ask of the running loop, over real HTTP. */
export class LoopClient {
  constructor(private readonly loop: LoopEndpoints) {}

  /** The single value of an instant PromQL query; undefined when it has no result. */
  async query(promql: string): Promise<number | undefined> {
    const url = `${this.loop.prometheus.url}/api/v1/query?query=${encodeURIComponent(promql)}`;
    const body = (await (await fetch(url)).json()) as {
      data: { result: { value: [number, string] }[] };
    };
    const value = body.data.result[0]?.value[1];
    return value === undefined ? undefined : Number(value);
  }

  async pages(): Promise<InboxPage[]> {
    const body = (await this.get('/api/v1/pages?limit=500', this.loop.tokens.viewer)) as {
      pages: InboxPage[];
    };
    return body.pages;
  }

  async audit(action: string): Promise<AuditRow[]> {
    const path = `/api/v1/audit?action=${encodeURIComponent(action)}&limit=500`;
    return ((await this.get(path, this.loop.tokens.viewer)) as { records: AuditRow[] }).records;
  }

  async verifyAudit(): Promise<{ ok: boolean }> {
    return (await this.get('/api/v1/audit/verify', this.loop.tokens.viewer)) as { ok: boolean };
  }

  /** Posts a firing notification of `page` again, as the second of an Alertmanager HA pair would. */
  async redeliver(page: InboxPage): Promise<number> {
    const alert = {
      status: 'firing',
      labels: page.labels,
      annotations: page.annotations,
      startsAt: page.startsAt,
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: '',
      fingerprint: page.fingerprint,
    };
    const response = await fetch(`${this.loop.remediation.url}/alertmanager/webhook`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${this.loop.tokens.alertmanager}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        version: '4',
        groupKey: `{}:{alertname="${page.alertname}"}`,
        truncatedAlerts: 0,
        status: 'firing',
        receiver: page.receiver,
        groupLabels: { alertname: page.alertname },
        commonLabels: page.labels,
        commonAnnotations: page.annotations,
        externalURL: this.loop.alertmanager.url,
        alerts: [alert],
      }),
    });
    await response.body?.cancel();
    return response.status;
  }

  async setFault(service: ServiceName, fault: object): Promise<void> {
    await this.post(`${this.loop.sim.services[service].url}/-/fault`, fault);
  }

  async simFault(service: ServiceName): Promise<string> {
    const response = await fetch(`${this.loop.sim.services[service].url}/-/fault`);
    return ((await response.json()) as { fault: { mode: string } }).fault.mode;
  }

  /** The demo factory's switches on the agent service: corrupt, readiness, export. */
  async factory(body: object): Promise<void> {
    await this.post(`${this.loop.sim.services.agent.url}/-/factory`, body);
  }

  private async get(path: string, token: string): Promise<unknown> {
    const response = await fetch(`${this.loop.remediation.url}${path}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (response.status !== 200) {
      throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
    }
    return response.json();
  }

  private async post(url: string, body: object): Promise<void> {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (response.status !== 200) {
      throw new Error(`POST ${url}: ${response.status} ${await response.text()}`);
    }
    await response.body?.cancel();
  }
}
