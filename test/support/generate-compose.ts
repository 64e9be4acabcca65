/** Writes the generated files of deploy/docker-compose.yaml (see compose-generated.ts). */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO, composeGeneratedFiles } from './compose-generated.js';

for (const [path, text] of await composeGeneratedFiles()) {
  await writeFile(join(REPO, path), text);
  process.stdout.write(`wrote ${path}\n`);
}
