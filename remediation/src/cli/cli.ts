import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { readAnchor, type AuditAnchor } from '../audit/anchor.js';
import { verifyStore } from '../audit/log.js';
import { hashToken } from '../auth/tokens.js';
import { ConfigError, loadConfigFile } from '../config/load.js';
import { readSecret, startRemediation } from '../server.js';
import { openStore } from '../store/open.js';

export const REMEDIATION_USAGE = `Usage:
  layerwatch remediation --config FILE [--listen HOST:PORT]   run the service
  layerwatch remediation --check-config FILE                  validate a config and exit
  layerwatch remediation hash-token [--generate] [TOKEN]      sha256 of a token for the config
                                                              (reads stdin without TOKEN)
  layerwatch remediation verify-audit --config FILE [--anchor FILE]
                                                              check the audit hash chain (keyed
                                                              with audit.keyFile) against the
                                                              anchor written outside the database`;

export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly stdin: () => Promise<string>;
}

const defaultIo: CliIo = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
  stdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};

/** `layerwatch remediation …`; resolves with the exit code. */
export async function runRemediationCli(
  argv: readonly string[],
  io: CliIo = defaultIo,
): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    if (sub === 'hash-token') return await hashTokenCommand(rest, io);
    if (sub === 'verify-audit') return await verifyCommand(rest, io);
    return await serveCommand([...argv], io);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.err(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

async function hashTokenCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { generate: { type: 'boolean' } },
    allowPositionals: true,
  });
  if (values.generate) {
    const token = `lw_${randomBytes(24).toString('base64url')}`;
    io.out(`token:  ${token}\nsha256: ${hashToken(token)}\n`);
    return 0;
  }
  const token = (positionals[0] ?? (await io.stdin())).trim();
  if (token === '') {
    io.err('hash-token: give a token (argument or stdin), or --generate\n');
    return 2;
  }
  io.out(`${hashToken(token)}\n`);
  return 0;
}

async function verifyCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { config: { type: 'string' }, anchor: { type: 'string' } },
  });
  if (!values.config) {
    io.err(`verify-audit: --config FILE is required\n${REMEDIATION_USAGE}\n`);
    return 2;
  }
  const config = loadConfigFile(values.config);
  let anchor: AuditAnchor | undefined;
  try {
    anchor = values.anchor === undefined ? undefined : readAnchor(values.anchor);
  } catch (error) {
    io.err(`verify-audit: ${(error as Error).message}\n`);
    return 2;
  }
  const key = config.audit.keyFile ? readSecret(config.audit.keyFile, 'audit') : undefined;
  const store = await openStore(config.store);
  try {
    const report = await verifyStore(store, { key, anchor });
    if (report.ok) {
      const anchored = anchor ? `; the anchor (seq ${anchor.seq}) matches` : '';
      io.out(`audit chain OK: ${report.checked} records verified${anchored}\n`);
      return 0;
    }
    const b = report.firstBroken;
    io.out(
      `audit chain BROKEN at seq ${b?.seq} (id ${b?.id || '?'}): ${b?.reason}; ${report.checked} records before it verified\n`,
    );
    return 1;
  } finally {
    await store.close();
  }
}

async function serveCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string' },
      'check-config': { type: 'string' },
      listen: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(`${REMEDIATION_USAGE}\n`);
    return 0;
  }
  if (values['check-config']) {
    loadConfigFile(values['check-config']);
    io.out(`${values['check-config']}: OK\n`);
    return 0;
  }
  if (!values.config) {
    io.err(`remediation: --config FILE is required\n${REMEDIATION_USAGE}\n`);
    return 2;
  }
  const config = loadConfigFile(values.config);
  const running = await startRemediation({
    config,
    ...(values.listen ? { listen: values.listen } : {}),
  });
  io.out(`layerwatch remediation listening on ${running.url} (store: ${config.store.kind})\n`);
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await running.stop();
  return 0;
}
