import type { ScheduledTarget } from '../config/prepare.js';
import { formatLabels, formatValue } from '../format/exposition.js';
import type { Sample } from '../format/sample-sink.js';

/**
 * Per-target series dropped in scheduled mode to keep 10,000 targets cheap to scrape: the
 * phase split and protocol details are for `/probe?debug=true`; latency distributions come
 * from the per-layer histogram instead.
 */
const LEAN_DROP = new Set([
  'probe_http_duration_seconds',
  'probe_dns_lookup_time_seconds',
  'probe_http_version',
  'probe_http_uncompressed_body_length',
  'probe_http_content_length',
  'probe_http_redirects',
  'probe_http_ssl',
  'probe_ip_protocol',
  'probe_ip_addr_hash',
  'probe_failed_due_to_regex',
  'probe_tls_version_info',
  'probe_ssl_last_chain_info',
]);

interface Family {
  readonly help: string;
  readonly type: string;
  /** Rendered sample lines per target key; a target may have several lines of one family. */
  readonly lines: Map<string, string>;
}

/**
 * The latest result of every scheduled target, kept as rendered lines grouped by metric
 * family: a probe re-renders only its own lines, and a scrape only joins strings.
 */
export class ScheduledResults {
  private readonly families = new Map<string, Family>();
  private readonly namesByTarget = new Map<string, Set<string>>();
  /** `{layer="4",name="agent",…}` per target, rendered once: it is on every line. */
  private readonly labelTexts = new WeakMap<ScheduledTarget, string>();

  private labelText(target: ScheduledTarget): string {
    let text = this.labelTexts.get(target);
    if (text === undefined) {
      text = formatLabels(target.labels, undefined);
      this.labelTexts.set(target, text);
    }
    return text;
  }

  update(target: ScheduledTarget, samples: readonly Sample[]): void {
    const rendered = new Map<string, string>();
    const targetLabels = this.labelText(target);
    for (const sample of samples) {
      if (LEAN_DROP.has(sample.name)) continue;
      const labels = sample.labels ? formatLabels(target.labels, sample.labels) : targetLabels;
      const line = `${sample.name}${labels} ${formatValue(sample.value)}\n`;
      rendered.set(sample.name, (rendered.get(sample.name) ?? '') + line);
      if (!this.families.has(sample.name)) {
        this.families.set(sample.name, { help: sample.help, type: sample.type, lines: new Map() });
      }
    }
    const previous = this.namesByTarget.get(target.key);
    if (previous)
      for (const name of previous)
        if (!rendered.has(name)) this.families.get(name)?.lines.delete(target.key);
    for (const [name, lines] of rendered) this.families.get(name)?.lines.set(target.key, lines);
    this.namesByTarget.set(target.key, new Set(rendered.keys()));
  }

  /** Forgets targets that are no longer configured (after a reload). */
  retain(keys: ReadonlySet<string>): void {
    for (const [key, names] of this.namesByTarget) {
      if (keys.has(key)) continue;
      for (const name of names) this.families.get(name)?.lines.delete(key);
      this.namesByTarget.delete(key);
    }
  }

  render(): string {
    const parts: string[] = [];
    for (const [name, family] of this.families) {
      if (family.lines.size === 0) continue;
      parts.push(
        `# HELP ${name} ${family.help}\n# TYPE ${name} ${family.type}\n`,
        ...family.lines.values(),
      );
    }
    return parts.join('');
  }
}
