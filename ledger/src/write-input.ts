import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import {
  batchSchema,
  describeIssue,
  eachOnce,
  lexicalPathProblem,
  orderIdSchema,
  pivotSchema,
  signOffSchema,
} from './schema.js';
import { TEMP_SUFFIX } from './temp-files.js';

/** What a file's bytes may come from; every form is streamed once, never read twice. */
export type ExportContent =
  Buffer | Uint8Array | string | Readable | AsyncIterable<Buffer | Uint8Array | string>;

export interface ExportFile {
  /** A plain file name: it lands in `<exportsDir>/<batch>/<name>`. */
  readonly name: string;
  readonly content: ExportContent;
}

export interface ExportRequest {
  readonly orderId: string;
  readonly pivot: string;
  /** When the export happened. @default the writer's clock */
  readonly exportedAt?: Date;
  /** The export hour in UTC, `YYYY-MM-DDTHH`. @default the UTC hour of `exportedAt` */
  readonly batch?: string;
  readonly files: readonly ExportFile[];
  /** @default null: not signed off (valid, but the collector counts it) */
  readonly signOff?: { readonly by: string; readonly at: string } | null;
}

/** A request or an option the writer refuses; the message names the field and the value. */
export class LedgerInputError extends Error {
  override readonly name = 'LedgerInputError';
}

/** The ledger already holds this order or cites this file: writing would spoil it. */
export class LedgerConflictError extends Error {
  override readonly name = 'LedgerConflictError';
}

const got = (value: unknown) => `(got ${JSON.stringify(value)})`;

/** File names are checked here, not by `lexicalPathProblem`: a name may not even go down. */
export function fileNameProblem(name: string): string | undefined {
  if (name.includes('\0')) return `must not contain a NUL byte ${got(name)}`;
  if (name.includes('/') || name.includes('\\')) {
    return `must be a file name without "/" or "\\": files stay in their batch folder ${got(name)}`;
  }
  if (name === '.' || name === '..') {
    return `must not be "." or "..": files stay in their batch folder ${got(name)}`;
  }
  // The writer deletes such files after a crash; a file so named could vanish.
  if (name.endsWith(TEMP_SUFFIX)) {
    return `must not end in "${TEMP_SUFFIX}", which marks the writer's temp files ${got(name)}`;
  }
  return undefined;
}

const isContent = (value: unknown): value is ExportContent =>
  typeof value === 'string' ||
  value instanceof Uint8Array ||
  (typeof value === 'object' && value !== null && Symbol.asyncIterator in value);

const fileSchema = z
  .object({
    // 200 leaves room for the temp file's affixes under the usual 255-byte name limit.
    name: z
      .string()
      .min(1, 'must not be empty')
      .max(200, 'must be at most 200 characters')
      .superRefine((name, ctx) => {
        const problem = fileNameProblem(name);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
    content: z.custom<ExportContent>(isContent, {
      message: 'must be a Buffer, a string, a Readable or an async iterable of Buffers',
    }),
  })
  .strict();

const requestSchema = z
  .object({
    orderId: orderIdSchema,
    pivot: pivotSchema,
    exportedAt: z
      .unknown()
      .superRefine((value, ctx) => {
        const problem = !(value instanceof Date)
          ? `must be a Date ${got(value)}`
          : Number.isNaN(value.getTime())
            ? 'must be a valid Date, not Invalid Date'
            : undefined;
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .optional(),
    batch: batchSchema.optional(),
    files: z.array(fileSchema).min(1, 'must list at least one file'),
    signOff: signOffSchema.nullable().optional(),
  })
  .strict()
  .superRefine((request, ctx) =>
    eachOnce(ctx, request.files, 'files', 'name', (file) => file.name, 'each file once per export'),
  );

/** Checks a request before anything touches the disk; throws LedgerInputError. */
export function checkRequest(request: ExportRequest): void {
  const result = requestSchema.safeParse(request);
  if (!result.success) {
    const issues = result.error.issues.flatMap((issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => unknownField([...issue.path, key]))
        : [describeIssue(issue, request)],
    );
    throw new LedgerInputError(issues.join('\n'));
  }
}

const FIELDS: Record<string, readonly string[]> = {
  request: ['orderId', 'pivot', 'exportedAt', 'batch', 'files', 'signOff'],
  file: ['name', 'content'],
};

/** A misspelt field is rejected, with the likely fix: ledger spellings (`sign_off`) mostly. */
function unknownField(path: readonly (string | number)[]): string {
  const field = path
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`))
    .join('')
    .slice(1);
  const key = String(path[path.length - 1]);
  const known = (path.length > 1 ? FIELDS.file : FIELDS.request) ?? [];
  const normal = (name: string) => name.toLowerCase().replace(/[_-]/g, '');
  const match = known.find((name) => normal(name) === normal(key));
  return match
    ? `${field}: is not a field (did you mean "${match}"?)`
    : `${field}: is not a field; the fields are ${known.join(', ')}`;
}

/**
 * Checks a path option of the writer: relative to the root and staying inside it, since
 * evidence paths are written relative to the root. A folder may end in "/", but may not be
 * the root itself (the root's every file would count as an export).
 */
export function checkRelativeOption(option: string, value: unknown, folder = false): string {
  const path = typeof value === 'string' && folder ? value.replace(/(.)[\\/]+$/, '$1') : value;
  const problem =
    typeof path !== 'string' || path === ''
      ? `must be a non-empty path relative to the root ${got(value)}`
      : folder && posix.normalize(path) === '.'
        ? `must be a folder below the root, not the root itself ${got(value)}`
        : lexicalPathProblem(path);
  if (problem) throw new LedgerInputError(`LedgerWriter: ${option}: ${problem}`);
  return path as string;
}
