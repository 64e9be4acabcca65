import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './forward.js';
import type { HostUser } from './plugin-proxy.js';

const SESSION = 'grafana_session';

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/** The signed-in user: the session cookie's, else the first (the host's default user). */
export function userOf(req: IncomingMessage, users: HostUser[]): HostUser {
  return users.find((u) => u.login === cookie(req, SESSION)) ?? users[0]!;
}

/** `/login?user=<login>&next=<path>`: sets the session cookie, which the proxy strips. */
export function login(res: ServerResponse, url: URL, users: HostUser[], home: string): void {
  const user = url.searchParams.get('user') ?? '';
  if (!users.some((u) => u.login === user))
    return sendJson(res, 401, {
      message: `Unknown user "${user}"; known: ${users.map((u) => u.login).join(', ')}`,
    });
  res.writeHead(302, {
    'set-cookie': `${SESSION}=${encodeURIComponent(user)}; Path=/; HttpOnly; SameSite=Lax`,
    location: url.searchParams.get('next') ?? home,
  });
  res.end();
}
