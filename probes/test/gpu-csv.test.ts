import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  exporterMetricName,
  GAUGE_FIELDS,
  type GpuReading,
  LABEL_FIELDS,
  nvidiaSmiArgs,
  type ParsedGpus,
  parseNvidiaSmiCsv,
  writeGpuSeries,
} from '../src/collectors/gpu/index.js';
import { serializeSamples } from '../src/format/exposition.js';
import { SampleList } from '../src/format/sample-sink.js';
import { ownFixtures } from './support/fake-nvidia-smi.js';

const MiB = 1024 * 1024;
const fixture = (name: string): string => readFileSync(join(ownFixtures, name), 'utf8');

function parsedOk(text: string): { gpus: readonly GpuReading[]; unreadable: readonly string[] } {
  const parsed: ParsedGpus = parseNvidiaSmiCsv(text);
  if (!parsed.ok) throw new Error(`expected a parse, got: ${parsed.reason}`);
  return parsed;
}
const reasonOf = (text: string): string => {
  const parsed = parseNvidiaSmiCsv(text);
  return parsed.ok ? 'parsed' : parsed.reason;
};
const valuesOf = (gpu: GpuReading | undefined): Record<string, number> =>
  Object.fromEntries(gpu?.values ?? []);

describe('the query', () => {
  it('asks for the fields our fixtures carry, in the fast CSV format', () => {
    const header = [
      ...LABEL_FIELDS,
      ...GAUGE_FIELDS.map((g) => (g.unit ? `${g.field} [${g.unit}]` : g.field)),
    ];
    for (const name of [
      'two-gpus.csv',
      'not-available.csv',
      'mig-enabled.csv',
      'duplicate-uuid.csv',
    ]) {
      expect(fixture(name).split('\n')[0], name).toBe(header.join(', '));
    }
    expect(nvidiaSmiArgs()).toEqual([
      '--query-gpu=index,uuid,name,driver_version,pci.bus_id,pstate,mig.mode.current,fan.speed,' +
        'utilization.gpu,utilization.memory,memory.total,memory.used,memory.free,temperature.gpu,' +
        'temperature.memory,power.draw,power.limit,clocks.current.graphics,clocks.current.sm,' +
        'clocks.current.memory,clocks.current.video,clocks.max.graphics,clocks.max.sm,clocks.max.memory,' +
        'pcie.link.gen.current,pcie.link.width.current',
      '--format=csv',
    ]);
  });

  it("names series by nvidia_gpu_exporter's rule", () => {
    expect(GAUGE_FIELDS.map((g) => g.metric)).toEqual([
      'nvidia_smi_pstate',
      'nvidia_smi_mig_mode_current',
      'nvidia_smi_fan_speed_ratio',
      'nvidia_smi_utilization_gpu_ratio',
      'nvidia_smi_utilization_memory_ratio',
      'nvidia_smi_memory_total_bytes',
      'nvidia_smi_memory_used_bytes',
      'nvidia_smi_memory_free_bytes',
      'nvidia_smi_temperature_gpu',
      'nvidia_smi_temperature_memory',
      'nvidia_smi_power_draw_watts',
      'nvidia_smi_power_limit_watts',
      'nvidia_smi_clocks_current_graphics_clock_hz',
      'nvidia_smi_clocks_current_sm_clock_hz',
      'nvidia_smi_clocks_current_memory_clock_hz',
      'nvidia_smi_clocks_current_video_clock_hz',
      'nvidia_smi_clocks_max_graphics_clock_hz',
      'nvidia_smi_clocks_max_sm_clock_hz',
      'nvidia_smi_clocks_max_memory_clock_hz',
      'nvidia_smi_pcie_link_gen_current',
      'nvidia_smi_pcie_link_width_current',
    ]);
    expect(exporterMetricName('encoder.stats.sessionCount', '')).toBe(
      'nvidia_smi_encoder_stats_session_count',
    );
  });
});

describe('parseNvidiaSmiCsv on our fixtures', () => {
  it('reads every GPU of a 2-GPU node, converted to base units', () => {
    const { gpus, unreadable } = parsedOk(fixture('two-gpus.csv'));
    expect(unreadable).toEqual([]);
    expect(gpus.map((g) => [g.index, g.uuid, g.name, g.driverVersion, g.pciBusId])).toEqual([
      [
        '0',
        'GPU-3f2a61c4-8b1e-4d7a-9c55-0e1f2a3b4c5d',
        'NVIDIA A100-SXM4-80GB',
        '550.54.15',
        '00000000:07:00.0',
      ],
      [
        '1',
        'GPU-9d8c7b6a-5f4e-4321-8abc-def012345678',
        'NVIDIA A100-SXM4-80GB',
        '550.54.15',
        '00000000:0F:00.0',
      ],
    ]);
    expect(valuesOf(gpus[0])).toEqual({
      nvidia_smi_pstate: 0,
      nvidia_smi_mig_mode_current: 0,
      nvidia_smi_utilization_gpu_ratio: 0.45,
      nvidia_smi_utilization_memory_ratio: 0.12,
      nvidia_smi_memory_total_bytes: 81920 * MiB,
      nvidia_smi_memory_used_bytes: 1234 * MiB,
      nvidia_smi_memory_free_bytes: 80152 * MiB,
      nvidia_smi_temperature_gpu: 38,
      nvidia_smi_temperature_memory: 45,
      nvidia_smi_power_draw_watts: 112.57,
      nvidia_smi_power_limit_watts: 400,
      nvidia_smi_clocks_current_graphics_clock_hz: 1410e6,
      nvidia_smi_clocks_current_sm_clock_hz: 1410e6,
      nvidia_smi_clocks_current_memory_clock_hz: 1593e6,
      nvidia_smi_clocks_current_video_clock_hz: 1275e6,
      nvidia_smi_clocks_max_graphics_clock_hz: 1410e6,
      nvidia_smi_clocks_max_sm_clock_hz: 1410e6,
      nvidia_smi_clocks_max_memory_clock_hz: 1593e6,
      nvidia_smi_pcie_link_gen_current: 4,
      nvidia_smi_pcie_link_width_current: 16,
    });
    expect(valuesOf(gpus[1])).toMatchObject({
      nvidia_smi_utilization_gpu_ratio: 1,
      nvidia_smi_utilization_memory_ratio: 0.67,
      nvidia_smi_memory_used_bytes: 65536 * MiB,
      nvidia_smi_power_draw_watts: 389.12,
    });
  });

  it('leaves out every "absent" token: no sample, never a zero', () => {
    const { gpus, unreadable } = parsedOk(fixture('not-available.csv'));
    expect(unreadable).toEqual([]);
    expect(valuesOf(gpus[0])).toEqual({
      nvidia_smi_pstate: 2,
      nvidia_smi_fan_speed_ratio: 0.35,
      nvidia_smi_memory_total_bytes: 11264 * MiB,
      nvidia_smi_temperature_gpu: 52,
      nvidia_smi_power_limit_watts: 250,
      nvidia_smi_clocks_current_graphics_clock_hz: 1607e6,
      nvidia_smi_clocks_current_sm_clock_hz: 1607e6,
      nvidia_smi_clocks_current_memory_clock_hz: 5005e6,
      nvidia_smi_clocks_current_video_clock_hz: 1442e6,
      nvidia_smi_clocks_max_graphics_clock_hz: 1911e6,
      nvidia_smi_clocks_max_sm_clock_hz: 1911e6,
      nvidia_smi_clocks_max_memory_clock_hz: 5505e6,
      nvidia_smi_pcie_link_gen_current: 3,
      nvidia_smi_pcie_link_width_current: 16,
    });
  });

  it('under MIG reports the mode and invents no utilization', () => {
    const values = valuesOf(parsedOk(fixture('mig-enabled.csv')).gpus[0]);
    expect(values.nvidia_smi_mig_mode_current).toBe(1);
    expect(values).not.toHaveProperty('nvidia_smi_utilization_gpu_ratio');
    expect(values).not.toHaveProperty('nvidia_smi_utilization_memory_ratio');
    expect(values.nvidia_smi_memory_used_bytes).toBe(20480 * MiB);
  });

  it('reads units from the header: other sizes convert, a foreign unit drops the column', () => {
    const gib = parsedOk(
      'index, uuid, memory.used [GiB], power.draw [mW]\n0, GPU-a, 2 GiB, 1500 mW\n',
    );
    expect(valuesOf(gib.gpus[0])).toEqual({
      nvidia_smi_memory_used_bytes: 2 * 1024 ** 3,
      nvidia_smi_power_draw_watts: 1.5,
    });
    const foreign = parsedOk('index, uuid, memory.used [W], temperature.gpu\n0, GPU-a, 12 W, 40\n');
    expect(valuesOf(foreign.gpus[0])).toEqual({ nvidia_smi_temperature_gpu: 40 });
  });

  it('reports cells that are neither a reading nor an absent token, and skips them', () => {
    const parsed = parsedOk(
      'index, uuid, temperature.gpu, memory.used [MiB], pstate\n0, GPU-a, hot, 3 W, P99x\n',
    );
    expect(valuesOf(parsed.gpus[0])).toEqual({});
    expect(parsed.unreadable).toEqual([
      'pstate="P99x"',
      'memory.used="3 W"',
      'temperature.gpu="hot"',
    ]);
  });

  it('accepts CRLF line ends and a header with no GPU rows', () => {
    expect(
      parsedOk('index, uuid, temperature.gpu\r\n0, GPU-a, 41\r\n').gpus[0]?.values.get(
        'nvidia_smi_temperature_gpu',
      ),
    ).toBe(41);
    expect(parsedOk('index, uuid\n').gpus).toEqual([]);
  });

  it('refuses output it cannot read, saying why', () => {
    expect(reasonOf('')).toBe('output is empty');
    expect(reasonOf(fixture('garbage.txt'))).toBe(
      'not nvidia-smi CSV: header cell 1 is "Failed to initialize NVML: Driver/library version mismatch"',
    );
    expect(reasonOf('index, name\n0, x\n')).toBe(
      'not nvidia-smi CSV: the header lacks uuid (starts "index, name")',
    );
    expect(reasonOf('index, uuid, pstate\n0, GPU-a\n')).toBe(
      'row 1 has 2 values where the header has 3',
    );
    expect(reasonOf('index, uuid\nGPU0, GPU-a\n')).toBe('row 1: index "GPU0" is not a GPU index');
    expect(reasonOf('index, uuid\n0, [N/A]\n')).toBe('row 1: GPU 0 has no uuid');
    expect(reasonOf('index, uuid\n0, GPU-a\n0, GPU-b\n')).toBe('GPU index 0 appears twice');
  });
});

describe('writeGpuSeries', () => {
  const node = { layer: '8', node: 'gpu-node-1' };
  const render = (gpus: readonly GpuReading[]): string => {
    const metrics = new SampleList();
    writeGpuSeries(gpus, node, metrics);
    return serializeSamples(metrics.samples);
  };

  it('writes the info series and one gauge per reading, labelled uuid, index, layer and node', () => {
    const text = render(parsedOk(fixture('mig-enabled.csv')).gpus);
    const labels =
      'uuid="a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",index="0",layer="8",node="gpu-node-1"';
    const lines = text.split('\n').filter((line) => !line.startsWith('#') && line !== '');
    expect(lines).toEqual([
      'nvidia_smi_gpu_info{uuid="a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",name="NVIDIA H100 80GB HBM3",' +
        'driver_version="570.86.15",pci_bus_id="00000000:1B:00.0",index="0",layer="8",node="gpu-node-1"} 1',
      `nvidia_smi_pstate{${labels}} 0`,
      `nvidia_smi_mig_mode_current{${labels}} 1`,
      `nvidia_smi_memory_total_bytes{${labels}} 85520809984`,
      `nvidia_smi_memory_used_bytes{${labels}} 21474836480`,
      `nvidia_smi_memory_free_bytes{${labels}} 63543705600`,
      `nvidia_smi_temperature_gpu{${labels}} 47`,
      `nvidia_smi_temperature_memory{${labels}} 52`,
      `nvidia_smi_power_draw_watts{${labels}} 301.4`,
      `nvidia_smi_power_limit_watts{${labels}} 700`,
      `nvidia_smi_clocks_current_graphics_clock_hz{${labels}} 1755000000`,
      `nvidia_smi_clocks_current_sm_clock_hz{${labels}} 1755000000`,
      `nvidia_smi_clocks_current_memory_clock_hz{${labels}} 2619000000`,
      `nvidia_smi_clocks_current_video_clock_hz{${labels}} 1410000000`,
      `nvidia_smi_clocks_max_graphics_clock_hz{${labels}} 1980000000`,
      `nvidia_smi_clocks_max_sm_clock_hz{${labels}} 1980000000`,
      `nvidia_smi_clocks_max_memory_clock_hz{${labels}} 2619000000`,
      `nvidia_smi_pcie_link_gen_current{${labels}} 5`,
      `nvidia_smi_pcie_link_width_current{${labels}} 16`,
    ]);
    expect(text).toContain(
      '# HELP nvidia_smi_memory_used_bytes Device memory allocated by active contexts, in bytes.\n',
    );
    expect(text).toContain('# TYPE nvidia_smi_memory_used_bytes gauge\n');
  });

  it('keeps two GPUs with the same masked uuid as two series, told apart by index', () => {
    const text = render(parsedOk(fixture('duplicate-uuid.csv')).gpus);
    const used = text
      .split('\n')
      .filter((line) => line.startsWith('nvidia_smi_memory_used_bytes{'));
    const uuid = 'uuid="00000000-0000-0000-0000-000000000000"';
    expect(used).toEqual([
      `nvidia_smi_memory_used_bytes{${uuid},index="0",layer="8",node="gpu-node-1"} ${1 * MiB}`,
      `nvidia_smi_memory_used_bytes{${uuid},index="1",layer="8",node="gpu-node-1"} ${40960 * MiB}`,
    ]);
  });
});
