import type { ScheduledTarget } from '../../src/config/prepare.js';
import { formatLabels, formatValue } from '../../src/format/exposition.js';
import { sharedSeries } from '../../src/format/probe-series.js';
import type { Sample } from '../../src/format/sample-sink.js';
import { LEAN_DROP } from '../../src/scheduler/results.js';

/** One target's lines of one family; the family's map holds the same object, updated in place. */
interface Slot {
  text: string;
  /** `name{labels} ` of the family's one unlabelled line, rendered once. */
  readonly prefix: string;
}

interface Family {
  readonly help: string;
  readonly type: string;
  /** Rendered sample lines per target key; a target may have several lines of one family. */
  readonly lines: Map<string, Slot>;
}

/** What a target rendered last: its families in order, each with its slot. */
interface TargetLines {
  readonly names: string[];
  readonly slots: Slot[];
}

/**
 * ScheduledResults as it was before it kept values instead of lines (rendered lines in slots
 * grouped by family, re-rendered in place, a scrape joining them), kept for the tests: the
 * current one must render the same text for the same updates.
 */
export class ReferenceResults {
  private readonly families = new Map<string, Family>();
  private readonly byTarget = new Map<string, TargetLines>();
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

  /** A probe's result: `probe_success`, `probe_duration_seconds`, then the prober's series. */
  update(
    target: ScheduledTarget,
    success: boolean,
    durationSeconds: number,
    samples: readonly Sample[],
  ): void {
    const lines = this.byTarget.get(target.key);
    if (lines && this.updateInPlace(target, lines, success, durationSeconds, samples)) return;
    this.replace(target, [...sharedSeries(success, durationSeconds), ...samples]);
  }

  /** Rewrites the target's slots if its samples have last time's families; else false. */
  private updateInPlace(
    target: ScheduledTarget,
    lines: TargetLines,
    success: boolean,
    durationSeconds: number,
    samples: readonly Sample[],
  ): boolean {
    const { names, slots } = lines;
    let index = 1; // the family being written: probe_duration_seconds is names[1]
    let text = '';
    for (const sample of samples) {
      if (LEAN_DROP.has(sample.name)) continue;
      if (index >= 2 && sample.name === names[index]) {
        text += this.line(target, sample); // another line of the same family
        continue;
      }
      if (sample.name !== names[index + 1]) return false; // not last time's families
      if (index >= 2) (slots[index] as Slot).text = text;
      index += 1;
      text = this.line(target, sample);
    }
    if (index !== names.length - 1) return false;
    if (index >= 2) (slots[index] as Slot).text = text;
    const [successSlot, durationSlot] = slots as [Slot, Slot];
    successSlot.text = `${successSlot.prefix}${success ? 1 : 0}\n`;
    durationSlot.text = `${durationSlot.prefix}${formatValue(durationSeconds)}\n`;
    return true;
  }

  private line(target: ScheduledTarget, sample: Sample): string {
    const labels = sample.labels
      ? formatLabels(target.labels, sample.labels)
      : this.labelText(target);
    return `${sample.name}${labels} ${formatValue(sample.value)}\n`;
  }

  private replace(target: ScheduledTarget, samples: readonly Sample[]): void {
    const rendered = new Map<string, string>();
    for (const sample of samples) {
      if (LEAN_DROP.has(sample.name)) continue;
      rendered.set(sample.name, (rendered.get(sample.name) ?? '') + this.line(target, sample));
      if (!this.families.has(sample.name)) {
        this.families.set(sample.name, { help: sample.help, type: sample.type, lines: new Map() });
      }
    }
    // Families the target still has keep its place in them (Map.set on a present key).
    const previous = this.byTarget.get(target.key);
    if (previous)
      for (const name of previous.names)
        if (!rendered.has(name)) this.families.get(name)?.lines.delete(target.key);
    const names: string[] = [];
    const slots: Slot[] = [];
    for (const [name, text] of rendered) {
      const slot = { text, prefix: `${name}${this.labelText(target)} ` };
      this.families.get(name)?.lines.set(target.key, slot);
      names.push(name);
      slots.push(slot);
    }
    this.byTarget.set(target.key, { names, slots });
  }

  private forget(key: string): void {
    const previous = this.byTarget.get(key);
    if (!previous) return;
    for (const name of previous.names) this.families.get(name)?.lines.delete(key);
    this.byTarget.delete(key);
  }

  /** Forgets targets that are no longer configured (after a reload). */
  retain(keys: ReadonlySet<string>): void {
    for (const key of [...this.byTarget.keys()]) if (!keys.has(key)) this.forget(key);
  }

  render(): string {
    const parts: string[] = [];
    for (const [name, family] of this.families) {
      if (family.lines.size === 0) continue;
      parts.push(`# HELP ${name} ${family.help}\n# TYPE ${name} ${family.type}\n`);
      for (const slot of family.lines.values()) parts.push(slot.text);
    }
    return parts.join('');
  }
}
