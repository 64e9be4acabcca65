/**
 * The acting user from Grafana's plugin proxy header `X-Grafana-Context` (JSON of the
 * signed-in user). Recorded in the audit log only: anyone able to reach this service can
 * set the header, so it never grants anything.
 */
export function actingUserFrom(header: string | undefined): string | undefined {
  if (header === undefined || header === '' || header.length > 8192) return undefined;
  let login: unknown;
  try {
    const parsed = JSON.parse(header) as Record<string, unknown>;
    login = parsed['Login'] ?? parsed['login'] ?? parsed['Email'] ?? parsed['email'];
  } catch {
    login = header;
  }
  if (typeof login !== 'string') return undefined;
  const clean = login.trim();
  return /^[\x20-\x7e]{1,200}$/.test(clean) ? clean : undefined;
}
