// Runs `layerwatch verify-checksums` from the TypeScript sources in its own process (spawned
// with `node --import tsx`), so tests see the real exit code and that no worker keeps it alive.
import { runVerifyChecksumsCli } from '../../src/cli/verify-checksums.js';

process.exitCode = await runVerifyChecksumsCli(process.argv.slice(2));
