import type { ExpositionFormat } from './format.js';

/**
 * The format a scraper asked for. OpenMetrics when the `Accept` header lists
 * `application/openmetrics-text` with a quality at least that of `text/plain` (Prometheus
 * sends `application/openmetrics-text;version=1.0.0,…,text/plain;version=0.0.4;q=0.5,…`
 * when exemplar storage or native scraping asks for it); the text format otherwise.
 */
export function negotiateFormat(accept: string | undefined): ExpositionFormat {
  if (accept === undefined || !accept.includes('application/openmetrics-text')) return 'text';
  let openMetrics = 0;
  let text = 0;
  for (const range of accept.split(',')) {
    const [type = '', ...params] = range.split(';').map((part) => part.trim().toLowerCase());
    const q = quality(params);
    if (type === 'application/openmetrics-text') openMetrics = Math.max(openMetrics, q);
    else if (type === 'text/plain' || type === 'text/*' || type === '*/*') text = Math.max(text, q);
  }
  return openMetrics > 0 && openMetrics >= text ? 'openmetrics' : 'text';
}

function quality(params: readonly string[]): number {
  for (const param of params) {
    if (param.startsWith('q=')) {
      const q = Number(param.slice(2));
      return Number.isFinite(q) ? Math.min(Math.max(q, 0), 1) : 0;
    }
  }
  return 1;
}
