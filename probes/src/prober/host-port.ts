import { isIPv6 } from 'node:net';

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/**
 * Reads `host:port` (`[::1]:port` for IPv6) or `scheme://host[:port]` with one of
 * `schemes`, where the port defaults to `defaultPort`. Returns a message naming the
 * problem when the target is neither.
 */
export function parseHostPort(
  target: string,
  schemes: readonly string[],
  defaultPort: number,
): HostPort | string {
  if (target.includes('://')) return parseUrl(target, schemes, defaultPort);
  const match = /^\[([^\]]+)\]:(\d+)$/.exec(target) ?? /^([^:[\]/\s]+):(\d+)$/.exec(target);
  if (!match?.[1] || !match[2]) {
    return `target "${target}" is not host:port or ${schemes[0]}://host:port`;
  }
  return withPort(target, match[1], match[2]);
}

function parseUrl(
  target: string,
  schemes: readonly string[],
  defaultPort: number,
): HostPort | string {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return `target "${target}" is not a valid URL`;
  }
  const scheme = url.protocol.slice(0, -1);
  if (!schemes.includes(scheme)) {
    return `target "${target}" has scheme ${scheme}; expected ${schemes.join(' or ')}`;
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host) return `target "${target}" has no host`;
  return url.port ? withPort(target, host, url.port) : { host, port: defaultPort };
}

function withPort(target: string, host: string, portText: string): HostPort | string {
  const port = Number(portText);
  if (port < 1 || port > 65535) return `target "${target}" has port ${portText}, outside 1-65535`;
  if (host.includes(':') && !isIPv6(host)) return `target "${target}" has an invalid IPv6 host`;
  return { host, port };
}
