#!/usr/bin/env node
// The `layerwatch` command: one entry point, one subcommand per component. Each component
// is loaded only when asked for, so `layerwatch probes` never loads the simulator.
const COMMANDS = {
  probes: async (args) => (await import('@layerwatch/probes')).runProbesCli(args),
  sim: async (args) => {
    await (await import('@layerwatch/sim')).runSimCli(args);
    return 0;
  },
  'verify-checksums': async (args) =>
    (await import('@layerwatch/ledger')).runVerifyChecksumsCli(args),
  up: async (args) => (await import('@layerwatch/stack')).runUpCli(args),
  generate: async (args) => (await import('@layerwatch/generate')).runGenerateCli(args),
  remediation: async (args) => (await import('@layerwatch/remediation')).runRemediationCli(args),
};

const [command, ...args] = process.argv.slice(2);
const run = command ? COMMANDS[command] : undefined;
if (!run) {
  process.stderr.write(
    `usage: layerwatch <command> [options]\ncommands: ${Object.keys(COMMANDS).join(', ')}\n` +
      (command && command !== '--help' ? `unknown command "${command}"\n` : ''),
  );
  process.exit(command === '--help' ? 0 : 2);
}
run(args).then(
  (code) => process.exit(code ?? 0),
  (error) => {
    process.stderr.write(
      `layerwatch ${command}: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  },
);
