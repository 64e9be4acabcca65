import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultConfigPath } from '@layerwatch/probes';
import { parseDocument } from 'yaml';

/**
 * The probe daemon's config for the local stack: the embedded default, plus the collectors
 * pointed at the demo factory pipeline's folder, and the GPU collector where this machine
 * has an nvidia-smi. Written into the state folder so an operator can read what runs.
 */
export async function writeStackProbeConfig(
  stateDir: string,
  factoryRoot: string,
  hasGpu: boolean,
): Promise<string> {
  const doc = parseDocument(await readFile(defaultConfigPath(), 'utf8'));
  doc.set('collectors', {
    telemetry: { enabled: true, root: factoryRoot, interval: '15s' },
    readiness: {
      enabled: true,
      file: join(factoryRoot, 'logs/ops_readiness.json'),
      interval: '10s',
    },
    gpu: { enabled: hasGpu, interval: '15s' },
  });
  await mkdir(stateDir, { recursive: true });
  const file = join(stateDir, 'probes.yml');
  await writeFile(
    file,
    `# Written by \`layerwatch up\` from probes/config/default.yml; rewritten on every start.\n${doc.toString()}`,
  );
  return file;
}
