import { SIMULATED_GPUS } from '@layerwatch/sim';
import { waitFor } from './alerting.js';
import { instantQuery } from './dashboard-queries.js';

/**
 * Waits until the GPU health pass has run and Prometheus has the simulated GPUs'
 * uncorrectable ECC counters (at 0, one per GPU and location): from then on an injected
 * error is an increase the rules can see.
 */
export async function untilGpuHealthScraped(prometheusUrl: string): Promise<void> {
  await waitFor(
    'the GPU health series in Prometheus',
    async () => {
      const ecc = await instantQuery(
        prometheusUrl,
        'nvidia_smi_ecc_errors_uncorrected_volatile_total',
      );
      return ecc.series >= SIMULATED_GPUS.length ? true : undefined;
    },
    60_000,
  );
}
