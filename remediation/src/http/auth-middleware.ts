import type { RequestHandler } from 'express';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, checkSignature } from '../auth/hmac.js';
import { actingUserFrom } from '../auth/grafana-context.js';
import { fail } from '../engine/outcome.js';
import { checkStorable, printable } from '../input/storable.js';
import type { ServiceContext } from './context.js';
import { auditAndSend, deny, locals, requestPath, sourceIp } from './request.js';

const TOKEN_MESSAGES = {
  missing_token: 'no bearer token: send "Authorization: Bearer <token>"',
  invalid_token: 'the bearer token is not valid',
  expired_token: 'the bearer token has expired: ask an admin for its replacement',
} as const;

const SIGNATURE_MESSAGES = {
  signature_required: `this service requires signed requests (${TIMESTAMP_HEADER} and ${SIGNATURE_HEADER})`,
  signature_invalid: `${SIGNATURE_HEADER} does not match the request`,
  signature_expired: `${TIMESTAMP_HEADER} is outside the allowed window: check the clock, sign again`,
} as const;

/** Bearer token first (before the body is read), so anonymous callers cost no parsing. */
export function authenticate(ctx: ServiceContext): RequestHandler {
  return async (req, res, next) => {
    const check = ctx.tokens.check(req.get('authorization'));
    if (!check.ok) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="layerwatch-remediation"');
      await deny(ctx, req, res, fail(401, check.reason, TOKEN_MESSAGES[check.reason]));
      return;
    }
    const actingUser = actingUserFrom(req.get('x-grafana-context'));
    locals(res).caller = {
      principal: check.principal,
      actingUser: actingUser && printable(actingUser, 200),
      sourceIp: sourceIp(req),
      method: req.method,
      path: requestPath(req),
    };
    // Query values reach store lookups (`?action=`): one no store may hold ends here.
    const problem = checkStorable(req.query, 'query');
    if (problem) {
      const outcome = fail(400, 'invalid_query', problem.message, { field: problem.field });
      await auditAndSend(ctx, req, res, outcome, 'read');
      return;
    }
    next();
  };
}

/** After the raw body is read: the optional HMAC signature, then JSON parsing. */
export function verifyAndParse(ctx: ServiceContext): RequestHandler {
  return async (req, res, next) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (ctx.hmac) {
      const check = checkSignature(ctx.hmac, {
        method: req.method,
        path: req.originalUrl,
        body: raw,
        timestamp: req.get(TIMESTAMP_HEADER),
        signature: req.get(SIGNATURE_HEADER),
      });
      if (!check.ok) {
        await deny(ctx, req, res, fail(401, check.reason, SIGNATURE_MESSAGES[check.reason]));
        return;
      }
    }
    if (raw.length > 0) {
      try {
        locals(res).json = JSON.parse(raw.toString('utf8')) as unknown;
      } catch (error) {
        const outcome = fail(
          400,
          'invalid_json',
          `request body is not valid JSON: ${(error as Error).message}`,
        );
        await deny(ctx, req, res, outcome);
        return;
      }
    }
    next();
  };
}
