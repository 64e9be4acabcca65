/**
 * A writer that exports until it is killed (or `--count` exports are done), for the kill -9
 * test (test/ledger-kill.test.ts). It goes on from the ledger it finds, as a restarted
 * pipeline would: the next order ID is one past the last recorded, so an export cut short
 * after its files were renamed in is written again under the same ID.
 *
 *   node --import tsx ledger/test/support/export-loop.ts <root> [--count N] [--mib M]
 *
 * Prints `ready` once it is about to write, and `committed <order>` after each export.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { LedgerWriter } from '../../src/index.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { count: { type: 'string' }, mib: { type: 'string', default: '8' } },
});
const root = positionals[0];
if (root === undefined) throw new Error('usage: export-loop.ts <root> [--count N] [--mib M]');
const count = values.count === undefined ? Infinity : Number(values.count);
const chunk = 64 * 1024;
const chunks = Number(values.mib) * 16;
// One random block reused: the files are big enough that a kill lands inside a write,
// without spending the child's time on generating bytes. A header makes each file unique.
const block = randomBytes(chunk);

async function* content(orderId: string, kind: string): AsyncIterable<Buffer | string> {
  yield `${orderId} ${kind}\n`;
  for (let i = 0; i < chunks; i += 1) yield block;
}

const writer = new LedgerWriter({ root });
const numbers = (await writer.entries()).map((entry) => Number(entry.order_id.slice(4)));
let next = Math.max(0, ...numbers) + 1;
process.stdout.write('ready\n');
for (let done = 0; done < count; done += 1, next += 1) {
  const orderId = `ORD-${String(next).padStart(4, '0')}`;
  await writer.writeExport({
    orderId,
    pivot: 'quilt',
    files: ['metrics', 'events'].map((kind) => ({
      name: `${orderId}-${kind}.bin`,
      content: content(orderId, kind),
    })),
    signOff: { by: 'kill-test', at: new Date().toISOString() },
  });
  process.stdout.write(`committed ${orderId}\n`);
}
