import { createHash } from 'node:crypto';

/** Slugs name dashboards and their generated files: lower case words joined by `-`. */
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * A dashboard's UID, derived from its stable slug (kubernetes-mixin derives its UIDs from
 * file names the same way): `lw-` and the first 12 hex digits of SHA-256 of
 * `layerwatch/<slug>`. A title can change without breaking a link; a slug cannot.
 */
export function stableUid(slug: string): string {
  if (!SLUG.test(slug)) {
    throw new Error(
      `dashboard slug ${JSON.stringify(slug)}: use lower-case words joined by "-" (system-health)`,
    );
  }
  return `lw-${createHash('sha256').update(`layerwatch/${slug}`).digest('hex').slice(0, 12)}`;
}
