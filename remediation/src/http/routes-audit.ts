import { Router } from 'express';
import { z } from 'zod/v4';
import { AUDIT_OUTCOMES } from '../audit/types.js';
import { roleAtLeast } from '../auth/tokens.js';
import { fail } from '../engine/outcome.js';
import type { ServiceContext } from './context.js';
import { auditAndSend, below, listRoute, locals, PAGE_QUERY } from './request.js';

const query = z
  .object({
    action: z.string().max(100).optional(),
    actor: z.string().max(100).optional(),
    outcome: z.enum(AUDIT_OUTCOMES).optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    ...PAGE_QUERY,
  })
  .strict();

const utc = (iso: string | undefined) =>
  iso === undefined ? undefined : new Date(iso).toISOString();

/** The audit log over HTTP: query (viewer), verify (viewer), export (admin). */
export function auditRoutes(ctx: ServiceContext): Router {
  const router = Router();

  router.get(
    '/api/v1/audit',
    listRoute(
      ctx,
      query,
      'records',
      (q) =>
        ctx.store.queryAudit({
          action: q.action,
          actor: q.actor,
          outcome: q.outcome,
          from: utc(q.from),
          to: utc(q.to),
          limit: q.limit,
          beforeSeq: below(q.cursor),
        }),
      (r) => String(r.seq),
    ),
  );

  router.get('/api/v1/audit/verify', async (req, res) => {
    const report = await ctx.audit.verify();
    await auditAndSend(ctx, req, res, { status: 200, body: { ...report } }, 'read', {
      result: report,
    });
  });

  router.get('/api/v1/audit/export', async (req, res) => {
    if (!roleAtLeast(locals(res).caller!.principal.role, 'admin')) {
      const outcome = fail(403, 'forbidden_role', 'exporting the audit log needs role admin');
      await auditAndSend(ctx, req, res, outcome, 'read');
      return;
    }
    // The export request is itself recorded first; the export then streams every record.
    const record = await ctx.audit
      .append({
        actor: locals(res).caller!.principal.subject,
        role: 'admin',
        actingUser: locals(res).caller!.actingUser,
        sourceIp: locals(res).caller!.sourceIp,
        method: req.method,
        path: locals(res).caller!.path,
        mode: 'read',
        outcome: 'allowed',
        status: 200,
        durationMs: 0,
      })
      .catch(() => undefined);
    if (!record) {
      res
        .status(503)
        .json({ error: 'the audit log could not be written', reason: 'audit_unavailable' });
      return;
    }
    res.status(200).type('application/x-ndjson');
    let after = 0;
    for (;;) {
      const rows = await ctx.store.scanAudit(after, 1000);
      if (rows.length === 0) break;
      for (const row of rows) res.write(`${row.body}\n`);
      after = rows[rows.length - 1]?.seq ?? after;
    }
    res.end();
  });
  return router;
}
