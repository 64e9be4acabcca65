import { Router } from 'express';
import { z } from 'zod/v4';
import { fail } from '../engine/outcome.js';
import type { ServiceContext } from './context.js';
import { auditAndSend, below, listRoute, locals, PAGE_QUERY } from './request.js';

const pagesQuery = z
  .object({
    status: z.enum(['firing', 'resolved']).optional(),
    ...PAGE_QUERY,
  })
  .strict();

/** The Alertmanager webhook (sender identities only) and the pages inbox (viewer+). */
export function webhookRoutes(ctx: ServiceContext): Router {
  const router = Router();

  router.post('/alertmanager/webhook', async (req, res) => {
    const l = locals(res);
    const caller = l.caller!;
    if (!ctx.webhook.isSender(caller.principal.subject)) {
      const outcome = fail(
        403,
        'not_a_sender',
        `token "${caller.principal.subject}" may not post pages`,
      );
      await auditAndSend(ctx, req, res, outcome, 'webhook');
      return;
    }
    const outcome = await ctx.webhook.receive(l.json, caller);
    await auditAndSend(ctx, req, res, outcome, 'webhook', { result: outcome.body });
  });

  router.get(
    '/api/v1/pages',
    listRoute(
      ctx,
      pagesQuery,
      'pages',
      (q) => ctx.store.listPages({ status: q.status, limit: q.limit, beforeId: below(q.cursor) }),
      (p) => p.id,
    ),
  );
  return router;
}
