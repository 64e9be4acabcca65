import { Router } from 'express';
import { roleAtLeast } from '../auth/tokens.js';
import type { ServiceContext } from './context.js';
import { auditAndSend, locals, send } from './request.js';

/** `/api/v1/me`, the action list, dry-run and execute. */
export function actionRoutes(ctx: ServiceContext): Router {
  const router = Router();

  router.get('/api/v1/me', async (req, res) => {
    const caller = locals(res).caller!;
    const body = {
      subject: caller.principal.subject,
      role: caller.principal.role,
      ...(caller.actingUser ? { actingUser: caller.actingUser } : {}),
    };
    await auditAndSend(ctx, req, res, { status: 200, body }, 'read');
  });

  router.get('/api/v1/actions', async (req, res) => {
    const { role } = locals(res).caller!.principal;
    const actions = ctx.registry.list().map((a) => {
      const allowed = a.roles.some((r) => roleAtLeast(role, r));
      return {
        name: a.name,
        title: a.title,
        description: a.description,
        kind: a.kind,
        destructive: a.destructive,
        requiresConfirmation: a.requiresConfirmation,
        roles: a.roles,
        cooldownSeconds: a.cooldownSeconds,
        paramsSchema: a.paramsSchema,
        allowed,
        ...(allowed ? {} : { deniedReason: `needs role ${a.roles.join(' or ')}; you are ${role}` }),
      };
    });
    await auditAndSend(ctx, req, res, { status: 200, body: { actions } }, 'read');
  });

  router.post('/api/v1/actions/:name/dry-run', async (req, res) => {
    const l = locals(res);
    send(res, await ctx.engine.dryRun(l.caller!, req.params.name, l.json));
  });

  router.post('/api/v1/actions/:name/execute', async (req, res) => {
    const l = locals(res);
    send(
      res,
      await ctx.engine.execute(l.caller!, req.params.name, l.json, req.get('idempotency-key')),
    );
  });
  return router;
}
