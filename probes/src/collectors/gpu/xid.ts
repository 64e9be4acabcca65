import { canonicalBusId } from './health-values.js';

/** One XID error the NVIDIA driver logged. */
export interface XidEvent {
  /** The GPU's bus id, as nvidia-smi prints it (`00000000:18:00.0`). */
  readonly busId: string;
  /** The XID code (`79`: the GPU fell off the bus, `48`: a double-bit ECC error, …). */
  readonly xid: string;
  /** When the kernel logged it, in unix seconds, when the line says. */
  readonly atSeconds: number | undefined;
}

/**
 * `NVRM: Xid (PCI:0000:18:00): 79, pid=1234, GPU has fallen off the bus.` — whatever
 * follows the code varies by driver and XID (`pid='1234', name='python3'`,
 * `pid=<unknown>, name=<unknown>`, `Ch 00000008`), so only the bus id and code are read.
 */
const XID =
  /NVRM: Xid \((?:PCI:)?([0-9a-fA-F]{4,8}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2})(?:\.[0-7])?\): (\d+)\b/;

/** An ISO timestamp first on the line (`journalctl -o short-iso`, rsyslog's RFC 3339). */
const ISO_START = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:[.,]\d+)?)(Z|[+-]\d\d:?\d\d)?\s/;

/** The XID a kernel log line reports, if it reports one. Pure. */
export function parseXidLine(line: string): XidEvent | undefined {
  const match = XID.exec(line);
  if (!match?.[1] || !match[2]) return undefined;
  const busId = canonicalBusId(match[1]);
  if (busId === undefined) return undefined;
  return { busId, xid: String(Number(match[2])), atSeconds: lineTime(line) };
}

function lineTime(line: string): number | undefined {
  const match = ISO_START.exec(line);
  if (!match?.[1]) return undefined;
  const zone = match[2] === undefined ? '' : match[2].replace(/^([+-]\d\d)(\d\d)$/, '$1:$2');
  const ms = Date.parse(`${match[1].replace(',', '.')}${zone}`);
  return Number.isNaN(ms) ? undefined : ms / 1000;
}

export interface XidCount {
  readonly busId: string;
  readonly xid: string;
  readonly count: number;
}

/**
 * XIDs counted since the collector started reading the log (per GPU and code), when each
 * code was last logged per GPU, and the last XID per GPU. Grows with the distinct (GPU,
 * code) pairs only: a few dozen.
 */
export class XidTally {
  readonly #counts = new Map<string, XidCount>();
  readonly #lastByCode = new Map<string, XidEvent>();
  readonly #last = new Map<string, XidEvent>();

  add(events: Iterable<XidEvent>, nowSeconds: number): void {
    for (const event of events) {
      const key = `${event.busId} ${event.xid}`;
      const count = this.#counts.get(key)?.count ?? 0;
      this.#counts.set(key, { busId: event.busId, xid: event.xid, count: count + 1 });
      const stamped = { ...event, atSeconds: event.atSeconds ?? nowSeconds };
      this.#lastByCode.set(key, stamped);
      this.#last.set(event.busId, stamped);
    }
  }

  counts(): XidCount[] {
    return [...this.#counts.values()];
  }

  /** The latest event of each (GPU, code). */
  lastByCode(): XidEvent[] {
    return [...this.#lastByCode.values()];
  }

  /** The latest event of each GPU. */
  last(): XidEvent[] {
    return [...this.#last.values()];
  }
}
