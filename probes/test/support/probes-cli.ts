// Runs `layerwatch probes` from the TypeScript sources, so CLI tests need no build step.
import { runProbesCli } from '../../src/cli/probes.js';

process.exitCode = await runProbesCli(process.argv.slice(2));
