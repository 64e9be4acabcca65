// Runs the CLI from source in a child process (kill -9 tests): `node --import tsx serve.ts …`.
import { runRemediationCli } from '../../src/cli/cli.js';

process.exitCode = await runRemediationCli(process.argv.slice(2));
