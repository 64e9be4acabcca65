import { describe, expect, it } from 'vitest';
import { parseSimArgs, runSimCli, SIM_USAGE } from '../src/index.js';

describe('layerwatch sim CLI', () => {
  it('maps flags to simulator options', () => {
    expect(
      parseSimArgs([
        '--host',
        '127.0.0.2',
        '--agent-port',
        '0',
        '--evolution-port=9003',
        '--jitter-ms',
        '25',
      ]),
    ).toEqual({ host: '127.0.0.2', ports: { agent: 0, evolution: 9003 }, latencyJitterMs: 25 });
    expect(parseSimArgs(['--help'])).toBe('help');
    expect(parseSimArgs(['--factory-root', '/srv/factory'])).toEqual({
      ports: {},
      factoryRoot: '/srv/factory',
    });
  });

  it('rejects bad flags with what is valid', () => {
    expect(() => parseSimArgs(['--agent-port', 'abc'])).toThrow(
      'sim: --agent-port: "abc" is not an integer in 0..65535',
    );
    expect(() => parseSimArgs(['--jitter-ms=-1'])).toThrow(
      'sim: --jitter-ms: "-1" is not an integer in 0..60000',
    );
    expect(() => parseSimArgs(['--bogus'])).toThrow(`sim: Unknown option '--bogus'\n${SIM_USAGE}`);
    expect(() => parseSimArgs(['--host'])).toThrow(
      `sim: Option '--host <value>' argument missing\n${SIM_USAGE}`,
    );
    expect(() => parseSimArgs(['--factory-root', ' '])).toThrow(
      'sim: --factory-root: expected a folder path',
    );
    expect(() => parseSimArgs(['extra'])).toThrow(`sim: Unexpected argument 'extra'\n${SIM_USAGE}`);
  });

  it('prints one line per service, serves, and stops when asked', async () => {
    const lines: string[] = [];
    const stop = new AbortController();
    const ports = ['--agent-port', '0', '--scheduler-port', '0', '--refinement-port', '0'];
    const running = runSimCli([...ports, '--evolution-port', '0', '--resources-port', '0'], {
      out: (line) => lines.push(line),
      err: () => {},
      signal: stop.signal,
    });
    while (lines.length < 5) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(lines.map((line) => line.split(/\s+/).slice(0, 3).join(' '))).toEqual([
      'agent layer 4',
      'scheduler layer 4',
      'refinement layer 5',
      'evolution layer 7',
      'resources layer 8',
    ]);
    const url = lines[0]?.split(/\s+/).at(-1) ?? '';
    expect((await fetch(`${url}/health`)).status).toBe(200);
    stop.abort();
    await running;
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });
});
