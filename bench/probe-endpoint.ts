import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@layerwatch/local';
import {
  cpuMs,
  startChild,
  startScript,
  startTargetServer,
  waitUntilUp,
  type Child,
} from './support/processes.js';
import { fixed, printTable } from './support/table.js';
import { wrk } from './support/wrk.js';

/**
 * `/probe` throughput and CPU cost: our daemon against blackbox_exporter 0.23, http_2xx,
 * the same loopback target, the same wrk load. Each exporter runs in its own process; its
 * CPU time comes from /proc/<pid>/stat around the measured run. Printed, never asserted.
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = 2;
const LOAD = { threads: 1, connections: 16 } as const;
const GOAL = 5;

const MODULES = `modules:
  http_2xx:
    prober: http
    timeout: 5s
`;

interface Measured {
  readonly name: string;
  readonly probesPerSecond: number;
  readonly cpuMsPerProbe: number;
  readonly targetCpuMsPerProbe: number;
  readonly failures: number;
}

async function probeOnce(base: string, target: string): Promise<string> {
  const response = await fetch(
    `${base}/probe?target=${encodeURIComponent(target)}&module=http_2xx`,
  );
  return response.text();
}

async function measure(
  name: string,
  exporter: Child,
  target: Child,
  url: string,
): Promise<Measured> {
  await wrk(url, { ...LOAD, seconds: WARMUP_SECONDS });
  const cpu0 = cpuMs(exporter.pid);
  const targetCpu0 = cpuMs(target.pid);
  const result = await wrk(url, { ...LOAD, seconds: SECONDS });
  const cpu = cpuMs(exporter.pid) - cpu0;
  const targetCpu = cpuMs(target.pid) - targetCpu0;
  return {
    name,
    probesPerSecond: result.requests / result.seconds,
    cpuMsPerProbe: cpu / result.requests,
    targetCpuMsPerProbe: targetCpu / result.requests,
    failures: result.non2xx + result.socketErrors,
  };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'layerwatch-bench-'));
  const children: Child[] = [];
  try {
    const target = await startTargetServer();
    children.push(target);
    const targetUrl = `http://127.0.0.1:${target.port}/`;

    await writeFile(join(dir, 'blackbox.yml'), MODULES);
    await writeFile(join(dir, 'probes.yml'), `scheduler:\n  enabled: false\n${MODULES}`);
    const blackboxPort = await freePort();
    const blackbox = startChild(
      '/usr/bin/prometheus-blackbox-exporter',
      [
        `--config.file=${join(dir, 'blackbox.yml')}`,
        `--web.listen-address=127.0.0.1:${blackboxPort}`,
        '--log.level=warn',
      ],
      'blackbox_exporter',
    );
    children.push(blackbox);
    const blackboxUrl = `http://127.0.0.1:${blackboxPort}`;
    const ours = startScript('daemon-child.ts', [join(dir, 'probes.yml')]);
    children.push(ours);
    const { url: oursUrl } = await ours.nextMessage<{ url: string }>();
    await waitUntilUp(`${blackboxUrl}/-/healthy`);

    for (const [name, base] of [
      ['blackbox', blackboxUrl],
      ['ours', oursUrl],
    ] as const) {
      const text = await probeOnce(base, targetUrl);
      if (!/^probe_success 1$/m.test(text)) throw new Error(`${name}: probe failed:\n${text}`);
    }

    const query = `/probe?target=${encodeURIComponent(targetUrl)}&module=http_2xx`;
    // Blackbox first, then ours: both against the same warm target.
    const theirs = await measure('blackbox_exporter 0.23', blackbox, target, blackboxUrl + query);
    const mine = await measure('layerwatch probes', ours, target, oursUrl + query);

    console.log(
      `probe-endpoint: /probe http_2xx, wrk -t${LOAD.threads} -c${LOAD.connections} -d${SECONDS}s, loopback target in its own process`,
    );
    printTable(
      ['exporter', 'probes/s', 'CPU ms/probe', 'probes/CPU-s', 'target CPU ms/probe', 'failed'],
      [theirs, mine].map((m) => [
        m.name,
        fixed(m.probesPerSecond, 0),
        fixed(m.cpuMsPerProbe, 3),
        fixed(1000 / m.cpuMsPerProbe, 0),
        fixed(m.targetCpuMsPerProbe, 3),
        String(m.failures),
      ]),
    );
    const ratio = theirs.cpuMsPerProbe / mine.cpuMsPerProbe;
    console.log(
      `throughput ratio (ours/blackbox, same load): ${fixed(mine.probesPerSecond / theirs.probesPerSecond, 1)}x`,
    );
    console.log(
      `RESULT probe-endpoint: ours ${fixed(mine.cpuMsPerProbe, 3)} ms CPU/probe, blackbox ${fixed(theirs.cpuMsPerProbe, 3)} ms CPU/probe, ratio ${fixed(ratio, 1)}x (goal ≥ ${GOAL}x)`,
    );
  } finally {
    await Promise.all(children.map((child) => child.stop()));
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
