import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The first executable `name` on PATH, or undefined. */
export function findOnPath(name: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The error for a missing server binary, naming the Debian package that provides it. */
export function missingBinaryError(name: string, where: string, debianPackage: string): Error {
  return new Error(
    `${name} was not found ${where}; install it with \`apt-get install ${debianPackage}\``,
  );
}
