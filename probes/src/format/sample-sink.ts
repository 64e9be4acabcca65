/** Label names and values of one sample; names follow Prometheus rules (`[a-zA-Z_][a-zA-Z0-9_]*`). */
export type Labels = Readonly<Record<string, string>>;

export interface Sample {
  readonly name: string;
  readonly help: string;
  readonly type: 'gauge' | 'counter';
  readonly value: number;
  readonly labels: Labels | undefined;
}

/** Collects the series of one probe. Cheap to make: one per probe, no registry. */
export interface SampleSink {
  gauge(name: string, help: string, value: number, labels?: Labels): void;
  /** A value that only grows (its name ends in `_total`); a drop means its source restarted. */
  counter(name: string, help: string, value: number, labels?: Labels): void;
}

export class SampleList implements SampleSink {
  readonly samples: Sample[] = [];

  gauge(name: string, help: string, value: number, labels?: Labels): void {
    this.samples.push({ name, help, type: 'gauge', value, labels });
  }

  counter(name: string, help: string, value: number, labels?: Labels): void {
    this.samples.push({ name, help, type: 'counter', value, labels });
  }
}
