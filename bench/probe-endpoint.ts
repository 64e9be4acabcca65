import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
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
import { handshakeCost } from './support/tls-resumption-cost.js';
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
/** Runs of the http_2xx comparison (the goal holds in every one); HTTPS is measured once. */
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

const MODULES = `modules:
  http_2xx:
    prober: http
    timeout: 5s
  https_new_connection:
    prober: http
    timeout: 5s
    http:
      tls_config:
        insecure_skip_verify: true
`;
/** Sequential requests per mode in the handshake comparison. */
const HANDSHAKES = Number(process.env.BENCH_HANDSHAKES ?? 2000);

interface Measured {
  readonly name: string;
  readonly probesPerSecond: number;
  readonly cpuMsPerProbe: number;
  readonly targetCpuMsPerProbe: number;
  readonly failures: number;
}

async function probeOnce(base: string, target: string, module: string): Promise<string> {
  const response = await fetch(
    `${base}/probe?target=${encodeURIComponent(target)}&module=${module}`,
  );
  return response.text();
}

/** A self-signed EC certificate for the HTTPS target, made by openssl in `dir`. */
function writeCertificate(dir: string): { certFile: string; keyFile: string } {
  const certFile = join(dir, 'target.pem');
  const keyFile = join(dir, 'target-key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '2',
      '-subj',
      '/O=Layerwatch bench/CN=localhost',
    ],
    { stdio: 'ignore' },
  );
  return { certFile, keyFile };
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
    const tlsTarget = await startTargetServer(undefined, writeCertificate(dir));
    children.push(target, tlsTarget);
    const scenarios = [
      { module: 'http_2xx', target: `http://127.0.0.1:${target.port}/`, server: target },
      {
        module: 'https_new_connection',
        target: `https://127.0.0.1:${tlsTarget.port}/`,
        server: tlsTarget,
      },
    ];

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

    for (const scenario of scenarios) {
      for (const [name, base] of [
        ['blackbox', blackboxUrl],
        ['ours', oursUrl],
      ] as const) {
        const text = await probeOnce(base, scenario.target, scenario.module);
        if (!/^probe_success 1$/m.test(text)) throw new Error(`${name}: probe failed:\n${text}`);
        if (scenario.module !== 'http_2xx' && !/^probe_ssl_earliest_cert_expiry /m.test(text)) {
          throw new Error(`${name}: no certificate series:\n${text}`);
        }
      }
    }

    let headline = '';
    for (const scenario of scenarios) {
      const query = `/probe?target=${encodeURIComponent(scenario.target)}&module=${scenario.module}`;
      const runs = scenario.module === 'http_2xx' ? RUNS : 1;
      const ratios: number[] = [];
      const cpu: string[] = [];
      for (let run = 0; run < runs; run += 1) {
        // Both against the same warm target; who goes first alternates from run to run.
        const measureBlackbox = () =>
          measure('blackbox_exporter 0.23', blackbox, scenario.server, blackboxUrl + query);
        const measureOurs = () =>
          measure('layerwatch probes', ours, scenario.server, oursUrl + query);
        let theirs: Measured;
        let mine: Measured;
        if (run % 2 === 0) {
          theirs = await measureBlackbox();
          mine = await measureOurs();
        } else {
          mine = await measureOurs();
          theirs = await measureBlackbox();
        }
        console.log(
          `probe-endpoint: /probe ${scenario.module}, run ${run + 1} of ${runs}, wrk -t${LOAD.threads} -c${LOAD.connections} -d${SECONDS}s, loopback target in its own process`,
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
        ratios.push(ratio);
        cpu.push(`${fixed(mine.cpuMsPerProbe, 3)}/${fixed(theirs.cpuMsPerProbe, 3)}`);
        console.log(
          `${scenario.module}: throughput ratio (ours/blackbox, same load) ${fixed(mine.probesPerSecond / theirs.probesPerSecond, 1)}x, CPU ratio ${fixed(ratio, 1)}x`,
        );
      }
      if (scenario.module === 'http_2xx') {
        const met = ratios.filter((r) => r >= GOAL).length;
        headline = `RESULT probe-endpoint: CPU ratio per run ${ratios.map((r) => `${fixed(r, 1)}x`).join(', ')} (ours/blackbox ms CPU per probe: ${cpu.join(', ')}); goal ≥ ${GOAL}x in every run: met in ${met} of ${runs}`;
      } else {
        console.log(
          `RESULT probe-endpoint https new connection: ours/blackbox ms CPU per probe ${cpu.join(', ')}, ratio ${fixed(ratios[0] ?? NaN, 1)}x`,
        );
      }
    }

    // The two ways to keep certificate series on new connections, measured on one client.
    const origin = `https://127.0.0.1:${tlsTarget.port}`;
    const full = await handshakeCost(origin, false, HANDSHAKES);
    const resumed = await handshakeCost(origin, true, HANDSHAKES);
    console.log(`TLS session resumption, ${HANDSHAKES} sequential requests on new connections:`);
    printTable(
      ['session cache', 'resumed handshakes', 'CPU ms/request'],
      [full, resumed].map((c) => [
        c.resumption ? 'on (keep the first certificate)' : 'off (full handshake, shipped)',
        `${c.resumed}/${c.requests}`,
        fixed(c.cpuMsPerRequest, 3),
      ]),
    );
    console.log(
      `RESULT tls-resumption: full handshake ${fixed(full.cpuMsPerRequest, 3)} ms CPU/request, resumed ${fixed(resumed.cpuMsPerRequest, 3)} ms, full/resumed ${fixed(full.cpuMsPerRequest / resumed.cpuMsPerRequest, 2)}x`,
    );
    console.log(headline);
  } finally {
    await Promise.all(children.map((child) => child.stop()));
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
