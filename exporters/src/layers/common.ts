import { COMMON } from '../instruments/catalog.js';
import type { InstrumentFactory } from '../instruments/factory.js';
import type { GuardedCounter } from '../instruments/guarded.js';

/** The validation gate of the factory's operations guide: count, then log the rejection reason. */
export interface ValidationGate {
  received(): void;
  accepted(): void;
  rejected(reason: string): void;
  /** Starts each known reason at 0, so the first rejection is a change `rate()` sees. */
  declareReasons(reasons: Iterable<string>): void;
}

/** What every layer records. */
export interface CommonMetrics {
  /** `auth_failures_total{reason}`, the name the runbook queries: `authFailures.inc({ reason: 'expired_token' })`. */
  readonly authFailures: GuardedCounter<'reason'>;
  readonly validationGate: ValidationGate;
}

export function createCommonMetrics(factory: InstrumentFactory): CommonMetrics {
  const received = factory.counter(COMMON.enhancementsReceived);
  const accepted = factory.counter(COMMON.enhancementsAccepted);
  const rejected = factory.counter(COMMON.enhancementsRejected);
  return {
    authFailures: factory.counter(COMMON.authFailures),
    validationGate: {
      received: () => received.inc(),
      accepted: () => accepted.inc(),
      rejected: (reason) => rejected.inc({ reason }),
      declareReasons: (reasons) => {
        for (const reason of reasons) rejected.add(0, { reason });
      },
    },
  };
}
