import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIMULATED_GPUS } from '../src/index.js';
import { send, startTestSim, call } from './helpers.js';

const run = promisify(execFile);

/** The fields the GPU collector asks a driver for (probes/src/collectors/gpu/fields.ts). */
const QUERY =
  'index,uuid,name,kmd_version,pci.bus_id,pstate,mig.mode.current,fan.speed,utilization.gpu,' +
  'memory.total,memory.used,memory.free,temperature.gpu,power.draw,power.limit,' +
  'clocks.current.sm,clocks.max.sm,pcie.link.gen.gpucurrent,pcie.link.width.current';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'layerwatch-sim-gpu-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function nvidiaSmi(path: string, ...args: string[]) {
  return run(path, args, { timeout: 5_000 });
}

describe('the simulated GPU node (no GPU on this machine)', () => {
  it('answers --query-gpu as a driver does: a unit header and one row per GPU', async () => {
    const sim = await startTestSim({ gpuDir: join(dir, 'a') });
    const path = sim.gpu!.nvidiaSmiPath;
    const { stdout } = await nvidiaSmi(path, `--query-gpu=${QUERY}`, '--format=csv');
    const [header, ...rows] = stdout.trim().split('\n');
    expect(header).toContain('utilization.gpu [%], memory.total [MiB]');
    expect(rows).toHaveLength(SIMULATED_GPUS.length);
    const cells = rows[0]!.split(', ');
    expect(cells.slice(0, 3)).toEqual(['0', SIMULATED_GPUS[0]!.uuid, SIMULATED_GPUS[0]!.name]);
    expect(cells[2]).toMatch(/^Simulated /);
    expect(cells[8]).toMatch(/^\d+ %$/);
    expect(cells[9]).toBe('81559 MiB');
  });

  it('refuses an unknown field as nvidia-smi does, and lists its fields on --help-query-gpu', async () => {
    const sim = await startTestSim({ gpuDir: join(dir, 'b') });
    const path = sim.gpu!.nvidiaSmiPath;
    await expect(
      nvidiaSmi(path, '--query-gpu=index,no.such.field', '--format=csv'),
    ).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('Field "no.such.field" is not a valid field to query.'),
    });
    const help = await nvidiaSmi(path, '--help-query-gpu');
    expect(help.stdout).toContain('"utilization.gpu"');
    expect(help.stdout).toContain('"pcie.link.gen.gpucurrent"');
    await expect(nvidiaSmi(path, '--list-gpus')).rejects.toMatchObject({ code: 2 });
  });

  it('overloads, breaks and counts an ECC error on one GPU from the fault switch', async () => {
    const sim = await startTestSim({ gpuDir: join(dir, 'c') });
    const agent = sim.services.agent.url;
    const path = sim.gpu!.nvidiaSmiPath;
    expect((await send('POST', `${agent}/-/gpu`, { gpu: 1, mode: 'hot' })).status).toBe(200);
    const hot = (
      await nvidiaSmi(path, '--query-gpu=index,utilization.gpu,temperature.gpu', '--format=csv')
    ).stdout
      .trim()
      .split('\n')[2];
    expect(hot).toBe('1, 100 %, 93');
    const xml = (await nvidiaSmi(path, '-q', '-x')).stdout;
    expect(xml).toContain(
      '<clocks_event_reason_hw_thermal_slowdown>Active</clocks_event_reason_hw_thermal_slowdown>',
    );

    await send('POST', `${agent}/-/gpu`, { gpu: 2, mode: 'off-bus' });
    const lost = (await nvidiaSmi(path, '--query-gpu=index,uuid,temperature.gpu', '--format=csv'))
      .stdout;
    expect(lost).toContain(`2, ${SIMULATED_GPUS[2]!.uuid}, [Unknown Error]`);

    await send('POST', `${agent}/-/gpu`, { gpu: 0, mode: 'ecc-uncorrectable' });
    await send('POST', `${agent}/-/gpu`, { gpu: 0, mode: 'ok' });
    const state = (await call(`${agent}/-/gpu`)).body as {
      gpus: { fault: string; ecc_uncorrectable: number }[];
    };
    expect(state.gpus.map((g) => g.fault)).toEqual(['ok', 'hot', 'off-bus', 'ok']);
    expect(state.gpus[0]!.ecc_uncorrectable).toBe(1); // counted once, and kept after ok
    expect((await nvidiaSmi(path, '-q', '-x')).stdout).toContain(
      '<dram_uncorrectable>1</dram_uncorrectable>',
    );
  });

  it('writes an injected XID 79 to its kernel log, as NVRM prints it, and loses the GPU', async () => {
    const sim = await startTestSim({ gpuDir: join(dir, 'e') });
    await send('POST', `${sim.services.agent.url}/-/gpu`, { gpu: 3, mode: 'xid-79' });
    const log = await readFile(sim.gpu!.kernelLogPath, 'utf8');
    expect(log).toMatch(
      /kernel: NVRM: Xid \(PCI:0000:48:00\): 79, pid=<unknown>, name=<unknown>, GPU has fallen off the bus\.\n$/,
    );
    const csv = (
      await nvidiaSmi(sim.gpu!.nvidiaSmiPath, '--query-gpu=index,power.draw', '--format=csv')
    ).stdout;
    expect(csv).toContain('3, [Unknown Error]');
  });

  it('names the field and the valid values of a bad GPU fault', async () => {
    const sim = await startTestSim({ gpuDir: join(dir, 'd') });
    const agent = sim.services.agent.url;
    const bad = await send('POST', `${agent}/-/gpu`, { gpu: 0, mode: 'melt' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('hot');
    const index = await send('POST', `${agent}/-/gpu`, { gpu: 9, mode: 'hot' });
    expect(index.status).toBe(400);
    expect(JSON.stringify(index.body)).toMatch(/gpu.*0\.\.3/);
  });
});
