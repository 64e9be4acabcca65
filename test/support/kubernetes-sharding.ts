/**
 * Prometheus's relabeling, as much of it as the scale-out overlay uses (`hashmod` and
 * `replace`), so the test can follow each Probe target to the replica that will probe it.
 */
import { createHash } from 'node:crypto';

export interface RelabelConfig {
  readonly action?: string;
  readonly sourceLabels?: readonly string[];
  readonly separator?: string;
  readonly targetLabel?: string;
  readonly regex?: string;
  readonly replacement?: string;
  readonly modulus?: number;
}

/** Prometheus's hashmod: the last 8 bytes of the MD5 of the value, big-endian, mod m. */
export function hashmod(value: string, modulus: number): number {
  const digest = createHash('md5').update(value).digest();
  return Number(digest.readBigUInt64BE(8) % BigInt(modulus));
}

/** Applies the configs to a label set, as Prometheus does (only hashmod and replace). */
export function relabel(
  labels: Readonly<Record<string, string>>,
  configs: readonly RelabelConfig[],
): Record<string, string> {
  const result: Record<string, string> = { ...labels };
  for (const config of configs) {
    const action = (config.action ?? 'replace').toLowerCase();
    const value = (config.sourceLabels ?? [])
      .map((name) => result[name] ?? '')
      .join(config.separator ?? ';');
    const target = config.targetLabel;
    if (target === undefined) throw new Error(`relabel ${action} without targetLabel`);
    if (action === 'hashmod') {
      if (!config.modulus) throw new Error('hashmod without modulus');
      result[target] = String(hashmod(value, config.modulus));
    } else if (action === 'replace') {
      const match = new RegExp(`^(?:${config.regex ?? '(.*)'})$`).exec(value);
      if (!match) continue;
      const replaced = (config.replacement ?? '$1').replace(
        /\$\{(\w+)\}|\$(\d+)/g,
        (_all, braced: string | undefined, bare: string | undefined) =>
          match[Number(braced ?? bare)] ?? '',
      );
      if (replaced === '') delete result[target];
      else result[target] = replaced;
    } else {
      throw new Error(`relabel action ${action} is not modelled here`);
    }
  }
  return result;
}

/**
 * The labels the Prometheus Operator gives a Probe's static target before the Probe's own
 * relabelings (its generateProbeConfig): the target as __param_target and instance, and
 * the prober's URL as __address__.
 */
export function operatorProbeLabels(target: string, proberUrl: string): Record<string, string> {
  return { __address__: proberUrl, __param_target: target, instance: target };
}
