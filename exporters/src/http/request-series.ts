import type { GuardedHistogram, HistogramSeries } from '../instruments/guarded.js';
import { requestMethod } from './route.js';

export type RequestHistogram = GuardedHistogram<
  'http.request.method' | 'http.route',
  'http.response.status_code' | 'error.type'
>;

/** What a request came to: its response's status code, or its client went away first. */
export type Outcome = number | typeof ABORTED;
export const ABORTED = 'aborted';

type ByOutcome = Map<Outcome, HistogramSeries>;

/**
 * The request histogram's series by route template, method as received and outcome: three
 * `Map` lookups and no label object once a combination has been seen. Only admitted series
 * are kept (so at most the cap's worth); a set the cap refuses goes to the histogram each
 * time, which reports it as it would any refused set.
 */
export class RequestSeries {
  readonly #byRoute = new Map<string, Map<string | undefined, ByOutcome>>();

  constructor(private readonly histogram: RequestHistogram) {}

  get(route: string, method: string | undefined, outcome: Outcome): HistogramSeries | undefined {
    const found = this.#byRoute.get(route)?.get(method)?.get(outcome);
    return found ?? this.#admit(route, method, outcome);
  }

  #admit(route: string, method: string | undefined, outcome: Outcome): HistogramSeries | undefined {
    const folded = requestMethod(method);
    const series = this.histogram.seriesOf(
      outcome === ABORTED
        ? { 'http.request.method': folded, 'http.route': route, 'error.type': ABORTED }
        : {
            'http.request.method': folded,
            'http.route': route,
            'http.response.status_code': outcome,
          },
    );
    if (series === undefined) return undefined;
    let byMethod = this.#byRoute.get(route);
    if (byMethod === undefined) this.#byRoute.set(route, (byMethod = new Map()));
    let byOutcome = byMethod.get(method);
    if (byOutcome === undefined) byMethod.set(method, (byOutcome = new Map()));
    byOutcome.set(outcome, series);
    return series;
  }
}
