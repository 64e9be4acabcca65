// One remediation replica of the HA stack, as its own process (`layerwatch remediation`).
import { runRemediationCli } from '@layerwatch/remediation';

process.exitCode = await runRemediationCli(process.argv.slice(2));
