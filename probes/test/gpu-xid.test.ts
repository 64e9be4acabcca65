import { appendFile, chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileLog, journalctlLog, parseXidLine, XidTally } from '../src/collectors/gpu/index.js';
import { ownFixtures } from './support/fake-nvidia-smi.js';
import { tempDirEach } from './support/temp-dir.js';

const never = new AbortController().signal;

describe('parseXidLine (pure)', () => {
  it('reads the bus id, the code and the time of every form of the line in kern.log', async () => {
    const lines = (await readFile(join(ownFixtures, 'kern.log'), 'utf8')).split('\n');
    const events = lines.map(parseXidLine).filter((e) => e !== undefined);
    /** The event a line logged at `time` (UTC) gives. */
    const xid = (busId: string, code: string, time: string) => ({
      busId,
      xid: code,
      atSeconds: Date.parse(`2026-03-02T${time}Z`) / 1000,
    });
    expect(events).toEqual([
      xid('00000000:18:00.0', '48', '10:14:58'),
      xid('00000000:18:00.0', '63', '10:14:59'),
      // Date.parse keeps milliseconds.
      xid('00000000:18:00.0', '48', '10:15:01.123'),
      xid('00000000:3B:00.0', '13', '10:15:03'),
      xid('00000000:99:00.0', '79', '10:15:04'),
    ]);
  });

  it.each([
    [
      '[ 1234.5] NVRM: Xid (PCI:0000:18:00): 79, pid=1234, GPU has fallen off the bus.',
      '79',
      undefined,
    ],
    [
      "kernel: NVRM: Xid (PCI:0000:af:00): 94, pid='4242', name='python3', Contained: CE User Channel",
      '94',
      undefined,
    ],
    [
      'NVRM: Xid (0000:18:00.0): 31, pid=<unknown>, name=<unknown>, Ch 00000008, intr 10000000',
      '31',
      undefined,
    ],
  ])('%s → XID %s', (line, xid, atSeconds) => {
    expect(parseXidLine(line)).toMatchObject({ xid, atSeconds });
  });

  it('is not fooled by other NVRM lines', () => {
    expect(parseXidLine('NVRM: GPU at PCI:0000:18:00: GPU-3f2a61c4')).toBeUndefined();
    expect(parseXidLine('NVRM: Xid (PCI:0000:18:00): not-a-number')).toBeUndefined();
  });

  it('counts per GPU and code; the last one per GPU and per code, the read time when the line has none', () => {
    const tally = new XidTally();
    tally.add(
      [
        { busId: 'a', xid: '48', atSeconds: 10 },
        { busId: 'a', xid: '48', atSeconds: 11 },
      ],
      99,
    );
    tally.add([{ busId: 'a', xid: '63', atSeconds: undefined }], 100);
    expect(tally.counts()).toEqual([
      { busId: 'a', xid: '48', count: 2 },
      { busId: 'a', xid: '63', count: 1 },
    ]);
    expect(tally.last()).toEqual([{ busId: 'a', xid: '63', atSeconds: 100 }]);
    expect(tally.lastByCode()).toEqual([
      { busId: 'a', xid: '48', atSeconds: 11 },
      { busId: 'a', xid: '63', atSeconds: 100 },
    ]);
  });
});

describe('kernel log sources: only what is new, each read', () => {
  const dir = tempDirEach('layerwatch-kernel-log-');

  it('a file is read from where the last read stopped; a half-written line waits', async () => {
    const file = join(dir(), 'kern.log');
    await writeFile(file, 'one\ntwo\nthr');
    const log = fileLog(file);
    expect(await log.read(never, 1000)).toEqual({ ok: true, lines: ['one', 'two'] });
    expect(await log.read(never, 1000)).toEqual({ ok: true, lines: [] });
    await appendFile(file, 'ee\nfour\n');
    expect(await log.read(never, 1000)).toEqual({ ok: true, lines: ['three', 'four'] });
  });

  it('a file that shrank (rotated, truncated) is read from the start', async () => {
    const file = join(dir(), 'kern.log');
    await writeFile(file, 'old line one\nold line two\n');
    const log = fileLog(file);
    await log.read(never, 1000);
    await writeFile(file, 'new\n');
    expect(await log.read(never, 1000)).toEqual({ ok: true, lines: ['new'] });
  });

  it('a missing file is a reason, never a throw', async () => {
    const read = await fileLog(join(dir(), 'nope.log')).read(never, 1000);
    expect(read).toEqual({ ok: false, reason: expect.stringMatching(/nope\.log: ENOENT/) });
  });

  // A stand-in journalctl (no journald on this machine): prints its arguments' cursor
  // handling as the real one does: the entries after the cursor, then `-- cursor: …`.
  it('journalctl: the first read takes the end of this boot, later ones --after-cursor', async () => {
    const script = join(dir(), 'journalctl');
    const calls = join(dir(), 'calls');
    await writeFile(
      script,
      [
        '#!/bin/sh',
        `printf '%s\\n' "$*" >> '${calls}'`,
        'case "$*" in',
        "  *--after-cursor=s=2*) echo '-- No entries --' ;;",
        "  *--after-cursor=s=1*) echo '2026-03-02T10:15:04+0000 n1 kernel: NVRM: Xid (PCI:0000:18:00): 79, pid=1, GPU has fallen off the bus.'; echo '-- cursor: s=2' ;;",
        "  *) echo '2026-03-02T10:14:58+0000 n1 kernel: NVRM: Xid (PCI:0000:18:00): 48, pid=1, x'; echo '-- cursor: s=1' ;;",
        'esac',
      ].join('\n'),
    );
    await chmod(script, 0o755);
    const log = journalctlLog(script);
    const lines = async () => {
      const read = await log.read(never, 2000);
      return read.ok ? read.lines.map((l) => parseXidLine(l)?.xid) : read.reason;
    };
    expect(await lines()).toEqual(['48']);
    expect(await lines()).toEqual(['79']);
    expect(await lines()).toEqual([]);
    expect(await lines()).toEqual([]);
    expect((await readFile(calls, 'utf8')).trim().split('\n')).toEqual([
      '-k -o short-iso --no-pager --show-cursor -b -n 10000',
      '-k -o short-iso --no-pager --show-cursor --after-cursor=s=1',
      '-k -o short-iso --no-pager --show-cursor --after-cursor=s=2',
      '-k -o short-iso --no-pager --show-cursor --after-cursor=s=2',
    ]);
  });

  it('journalctl missing: a reason that says what to check', async () => {
    const read = await journalctlLog(join(dir(), 'journalctl')).read(never, 1000);
    expect(read).toEqual({
      ok: false,
      reason: `${join(dir(), 'journalctl')} not found (ENOENT): is systemd-journald on this host, and journalctl in the container?`,
    });
  });
});
