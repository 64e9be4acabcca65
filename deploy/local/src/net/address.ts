/** `host:port`, `[v6]:port` or bare `v6:port` split at the last colon. */
export function parseListenAddress(listen: string): { host: string; port: number } {
  const match = /^\[?([^\]]*?)\]?:(\d+)$/.exec(listen);
  if (!match) throw new Error(`listen address "${listen}" must be host:port, e.g. 127.0.0.1:9701`);
  return { host: match[1] ?? '127.0.0.1', port: Number(match[2]) };
}

/** `host:port` with an IPv6 host in brackets, as a URL needs it. */
export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
