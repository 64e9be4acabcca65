import type { Principal } from '../auth/tokens.js';

/** Who is asking, from where: everything the audit record needs about the request. */
export interface Caller {
  readonly principal: Principal;
  readonly actingUser?: string | undefined;
  readonly sourceIp: string;
  readonly method: string;
  readonly path: string;
}

/** How an action names who asked (silence's createdBy, for one). */
export function actorName(caller: Caller): string {
  return caller.actingUser
    ? `${caller.principal.subject} for ${caller.actingUser}`
    : caller.principal.subject;
}
