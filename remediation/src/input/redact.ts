/** Query parameter names that carry credentials; their values never reach the audit log. */
const SECRET_NAME = /token|passw|secret|api[-_]?key|auth|credential|signature|session|sig$|^key$/i;

/**
 * The request path as stored: path as sent, query kept but each secret-looking parameter's
 * value replaced, so a token sent as `?access_token=` is refused and not recorded.
 */
export function redactUrl(originalUrl: string, max = 2048): string {
  const at = originalUrl.indexOf('?');
  if (at < 0) return originalUrl.slice(0, max);
  const query = originalUrl
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const rawName = eq < 0 ? pair : pair.slice(0, eq);
      let name = rawName;
      try {
        name = decodeURIComponent(rawName.replace(/\+/g, ' '));
      } catch {
        // A malformed escape is kept as sent: it is still matched below.
      }
      return SECRET_NAME.test(name) ? `${rawName}=REDACTED` : pair;
    })
    .join('&');
  return `${originalUrl.slice(0, at)}?${query}`.slice(0, max);
}
