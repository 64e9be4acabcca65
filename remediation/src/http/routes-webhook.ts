import { Router } from 'express';
import { z } from 'zod/v4';
import { fail } from '../engine/outcome.js';
import type { ServiceContext } from './context.js';
import { auditAndSend, locals } from './request.js';

const pagesQuery = z
  .object({
    status: z.enum(['firing', 'resolved']).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z
      .string()
      .regex(/^[0-9]{1,15}$/, 'a cursor from a previous page')
      .optional(),
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

  router.get('/api/v1/pages', async (req, res) => {
    const parsed = pagesQuery.safeParse(req.query);
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      await auditAndSend(
        ctx,
        req,
        res,
        fail(400, 'invalid_query', `${i?.path.join('.') || 'query'}: ${i?.message}`),
        'read',
      );
      return;
    }
    const q = parsed.data;
    const pages = await ctx.store.listPages({
      status: q.status,
      limit: q.limit,
      beforeId: q.cursor === undefined ? undefined : Number(q.cursor),
    });
    const last = pages[pages.length - 1];
    const body = { pages, ...(pages.length === q.limit && last ? { nextCursor: last.id } : {}) };
    await auditAndSend(ctx, req, res, { status: 200, body }, 'read');
  });
  return router;
}
