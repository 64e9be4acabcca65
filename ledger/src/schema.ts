import { isAbsolute, posix } from 'node:path';
import { z, type ZodIssue } from 'zod';

/**
 * The factory pipeline's ledger, `exchange/ledger/index.json` (documented in LEDGER.md).
 * The top level must parse or the whole ledger is unusable; each entry is validated on its
 * own, so one bad entry is counted and skipped while the others are still verified.
 */
const isoTime = (example: string) =>
  z.string().datetime({ offset: true, message: `must be an ISO 8601 time, e.g. ${example}` });

/** Hours in UTC, fixed width, so string order is time order: the newest batch is the max. */
export const BATCH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3])$/;

/** A path relative to the root that cannot leave it lexically (symlinks are checked later). */
export const relativePathSchema = z
  .string()
  .min(1, 'must not be empty')
  .superRefine((path, ctx) => {
    const problem = lexicalPathProblem(path);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const evidenceSchema = z
  .object({
    path: relativePathSchema,
    sha256: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, 'must be a SHA-256 digest: 64 hexadecimal characters')
      .transform((hex) => hex.toLowerCase()),
    bytes: z.number().int().min(0, 'must be a whole number of bytes, 0 or more'),
  })
  .passthrough();

export const signOffSchema = z
  .object({
    by: z.string().min(1, 'must name who signed off'),
    at: isoTime('2026-11-23T10:30:00Z'),
  })
  .passthrough();

/** Shared with the writer's input checks, so both say the same thing about the same value. */
export const orderIdSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters');
export const pivotSchema = z.string().min(1, 'must not be empty');
export const batchSchema = z
  .string()
  .regex(BATCH_PATTERN, 'must be the export hour in UTC as YYYY-MM-DDTHH, e.g. 2026-11-23T10');

/**
 * One issue per item of `list` whose key (`keyOf`) an earlier item already has, at
 * `<listName>[i].<field>`, naming the first: `duplicates <listName>[j].<field>; <hint>`.
 */
export function eachOnce<T>(
  ctx: z.RefinementCtx,
  list: readonly T[],
  listName: string,
  field: string,
  keyOf: (item: T) => string,
  hint: string,
): void {
  const seen = new Map<string, number>();
  list.forEach((item, index) => {
    const key = keyOf(item);
    const first = seen.get(key);
    if (first === undefined) seen.set(key, index);
    else
      ctx.addIssue({
        code: 'custom',
        path: [listName, index, field],
        message: `duplicates ${listName}[${first}].${field}; ${hint}`,
      });
  });
}

export const ledgerEntrySchema = z
  .object({
    order_id: orderIdSchema,
    pivot: pivotSchema,
    batch: batchSchema,
    exported_at: isoTime('2026-11-23T10:04:00Z'),
    evidence: z.array(evidenceSchema).min(1, 'must list at least one file'),
    sign_off: signOffSchema.nullable().optional(),
  })
  .passthrough()
  .superRefine((entry, ctx) =>
    eachOnce(
      ctx,
      entry.evidence,
      'evidence',
      'path',
      (file) => posix.normalize(file.path),
      'cite each file once per entry',
    ),
  );

export const ledgerTopSchema = z
  .object({
    version: z.literal(1, { errorMap: () => ({ message: 'must be 1 (the only ledger version)' }) }),
    entries: z.array(z.unknown(), { message: 'must be an array of entries' }),
  })
  .passthrough();

export type LedgerEntry = z.output<typeof ledgerEntrySchema>;
export type EvidenceFile = z.output<typeof evidenceSchema>;

/** An entry that failed validation: where it is, what it is, and every reason. */
export interface InvalidEntry {
  readonly index: number;
  readonly orderId: string | undefined;
  readonly message: string;
  /** Paths the entry cites, as far as they could be read (so its files are not orphans). */
  readonly citedPaths: readonly string[];
  /** Its batch when that field is well formed (an invalid entry spoils its batch). */
  readonly batch: string | undefined;
}

export interface ValidEntry {
  readonly index: number;
  readonly entry: LedgerEntry;
}

export interface ParsedLedger {
  /** Every entry in the file, valid or not. */
  readonly total: number;
  readonly valid: readonly ValidEntry[];
  readonly invalid: readonly InvalidEntry[];
}

/** The ledger itself is unusable: not JSON, truncated, or its top level is wrong. */
export class LedgerError extends Error {
  override readonly name = 'LedgerError';
}

type EntryParse = ReturnType<typeof ledgerEntrySchema.safeParse>;

/**
 * What the last parse learned: an unchanged ledger is not parsed again, and a ledger that
 * grew by appending has only its new or changed entries validated (the schema costs ~30 µs
 * an entry; 10,000 entries would cost a third of a second each run). Entries are keyed by
 * their JSON text.
 */
export class LedgerMemo {
  private previous = new Map<string, EntryParse>();
  private current = new Map<string, EntryParse>();
  private last:
    { readonly text: string; readonly file: string; readonly parsed: ParsedLedger } | undefined;

  /** The last result when `text` is the same ledger text as last time. */
  reuse(text: string, file: string): ParsedLedger | undefined {
    return this.last?.text === text && this.last.file === file ? this.last.parsed : undefined;
  }

  validate(raw: unknown): EntryParse {
    const key = JSON.stringify(raw);
    const result =
      this.previous.get(key) ?? this.current.get(key) ?? ledgerEntrySchema.safeParse(raw);
    this.current.set(key, result);
    return result;
  }

  /** Ends a parse: remembers its result, forgets entries that were not in it. */
  finish(text: string, file: string, parsed: ParsedLedger): void {
    this.previous = this.current;
    this.current = new Map();
    this.last = { text, file, parsed };
  }
}

/** Parses the ledger's text; throws LedgerError when the file as a whole is unusable. */
export function parseLedger(text: string, file: string, memo?: LedgerMemo): ParsedLedger {
  const known = memo?.reuse(text, file);
  if (known) return known;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new LedgerError(`${file}: not JSON, or truncated (${reason})`);
  }
  const top = ledgerTopSchema.safeParse(json);
  if (!top.success) {
    throw new LedgerError(
      top.error.issues.map((i) => `${file}: ${describeIssue(i, json)}`).join('\n'),
    );
  }
  const valid: ValidEntry[] = [];
  const invalid: InvalidEntry[] = [];
  const orderIds = new Map<string, number>();
  top.data.entries.forEach((raw, index) => {
    const orderId = readOrderId(raw);
    const label = entryLabel(index, orderId);
    const result = memo ? memo.validate(raw) : ledgerEntrySchema.safeParse(raw);
    const problems = result.success
      ? []
      : result.error.issues.map((issue) => `${label}: ${describeIssue(issue, raw)}`);
    const first = orderId === undefined ? undefined : orderIds.get(orderId);
    if (first !== undefined) {
      problems.push(`${label}: order_id: duplicates entries[${first}]; order IDs must be unique`);
    } else if (orderId !== undefined) orderIds.set(orderId, index);
    if (result.success && problems.length === 0) valid.push({ index, entry: result.data });
    else {
      const batch = valueAt(raw, ['batch']);
      invalid.push({
        index,
        orderId,
        message: problems.join('\n'),
        citedPaths: readPaths(raw),
        batch: typeof batch === 'string' && BATCH_PATTERN.test(batch) ? batch : undefined,
      });
    }
  });
  const parsed = { total: top.data.entries.length, valid, invalid };
  memo?.finish(text, file, parsed);
  return parsed;
}

/** `entries[3] (order_id "ORD-7")`, the way every entry problem starts. */
export function entryLabel(index: number, orderId: string | undefined): string {
  return `entries[${index}]${orderId === undefined ? '' : ` (order_id ${JSON.stringify(orderId)})`}`;
}

/** Why a path leaves the root without following any link, or undefined when it does not. */
export function lexicalPathProblem(path: string): string | undefined {
  const got = `(got ${JSON.stringify(path)})`;
  if (path.includes('\0')) return `must not contain a NUL byte ${got}`;
  if (isAbsolute(path) || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\')) {
    return `must be relative to the root, not absolute ${got}`;
  }
  const normal = posix.normalize(path.replace(/\\/g, '/'));
  if (normal === '..' || normal.startsWith('../')) {
    return `must stay inside the root: ".." may not climb above it ${got}`;
  }
  if (normal === '.' || normal.endsWith('/')) return `must name a file, not a folder ${got}`;
  return undefined;
}

/** `field.path: rule (got value)`, the way every validation problem reads. */
export function describeIssue(issue: ZodIssue, raw: unknown): string {
  const field =
    issue.path
      .map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`))
      .join('')
      .slice(1) || '(top level)';
  const value = valueAt(raw, issue.path);
  const shown =
    issue.code === 'custom' || value === undefined ? '' : ` (got ${truncate(safeJson(value))})`;
  const message =
    issue.code === 'invalid_type' && value === undefined ? 'is required' : issue.message;
  return `${field}: ${message}${shown}`;
}

function valueAt(raw: unknown, path: readonly (string | number)[]): unknown {
  let value = raw;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}

/** A value as JSON, or its type when it cannot be (a cycle, a BigInt: a stream, say). */
function safeJson(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return `a ${typeof value} that is not JSON`;
  }
}

function truncate(text: string | undefined): string {
  if (text === undefined) return 'undefined';
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function readOrderId(raw: unknown): string | undefined {
  const value = valueAt(raw, ['order_id']);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function readPaths(raw: unknown): string[] {
  const evidence = valueAt(raw, ['evidence']);
  if (!Array.isArray(evidence)) return [];
  return evidence
    .map((file) => valueAt(file, ['path']))
    .filter((path): path is string => typeof path === 'string' && !lexicalPathProblem(path))
    .map((path) => posix.normalize(path));
}
