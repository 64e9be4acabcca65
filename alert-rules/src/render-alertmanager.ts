/**
 * Renders alertmanager.yml at deploy time, with the pagers configured from the environment
 * or a secrets file. The output holds credentials: it is written with mode 0600 and must
 * never be committed.
 *
 *   npx tsx alert-rules/src/render-alertmanager.ts [--secrets FILE] [--out FILE]
 *
 * Without --out it prints to stdout. Without --secrets, LAYERWATCH_ALERTMANAGER_SECRETS
 * names the file, if set; LAYERWATCH_* variables win over the file.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { SECRETS_FILE_ENV, readPagerSecrets } from './alertmanager/secrets.js';
import { resolveConfig } from './config-resolve.js';
import { alertmanagerYaml } from './outputs.js';
import { buildRuleGroups } from './rules.js';

async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: { secrets: { type: 'string' }, out: { type: 'string' } },
    strict: true,
  });
  const secrets = readPagerSecrets(process.env, values.secrets ?? process.env[SECRETS_FILE_ENV]);
  const config = resolveConfig();
  const text = alertmanagerYaml(config, buildRuleGroups(config), secrets);
  if (values.out === undefined) {
    process.stdout.write(text);
  } else {
    await writeFile(values.out, text, { mode: 0o600 });
    const pagers = Object.keys(secrets).join(', ') || 'none';
    process.stderr.write(`wrote ${values.out} (pagers and hooks configured: ${pagers})\n`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `render-alertmanager: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  },
);
