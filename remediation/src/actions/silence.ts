import { z } from 'zod/v4';
import { ACTION_DEFAULTS } from './defaults.js';
import { callJson } from './http-client.js';
import { silenceProblem } from './silence-matchers.js';
import type { ActionDefinition } from './types.js';

const matcher = z
  .object({
    name: z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'a Prometheus label name'),
    value: z.string().min(1).max(1024),
    isRegex: z.boolean().default(false),
    isEqual: z.boolean().default(true),
  })
  .strict();

export interface SilenceParams {
  matchers: z.infer<typeof matcher>[];
  minutes: number;
  comment: string;
}

/** The matchers as Alertmanager's `filter` strings: `name="value"`, `name=~"re"`, `name!="v"`. */
function filterOf(m: z.infer<typeof matcher>): string {
  const op = m.isEqual ? (m.isRegex ? '=~' : '=') : m.isRegex ? '!~' : '!=';
  return `${m.name}${op}${JSON.stringify(m.value)}`;
}

/** `silence`: how on-call acknowledges; Alertmanager API v2 `POST /api/v2/silences`. */
export function silenceAction(url: string, maxMinutes: number): ActionDefinition<SilenceParams> {
  const base = url.replace(/\/+$/, '');
  return {
    ...ACTION_DEFAULTS.silence,
    name: 'silence',
    params: z
      .object({
        matchers: z.array(matcher).min(1).max(20),
        minutes: z.number().int().min(1).max(maxMinutes),
        comment: z.string().min(1).max(1000),
      })
      .strict()
      // A silence matching everything would mute every page: refuse it, by what it matches.
      .superRefine((p, ctx) => {
        const problem = silenceProblem(p.matchers);
        if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['matchers'] });
      }),
    target: (p) => `silence ${p.matchers.map(filterOf).join(',')}`,
    async plan(p, signal) {
      const query = p.matchers.map((m) => `filter=${encodeURIComponent(filterOf(m))}`).join('&');
      const alerts = (await callJson(
        'GET',
        `${base}/api/v2/alerts?${query}`,
        undefined,
        signal,
        10,
      )) as unknown[];
      const endsAt = new Date(Date.now() + p.minutes * 60_000).toISOString();
      return {
        summary: `Silence ${alerts.length} alert(s) matching {${p.matchers.map(filterOf).join(', ')}} for ${p.minutes} minutes`,
        changes: [
          { kind: 'silence', target: base, from: null, to: { matchers: p.matchers, endsAt } },
        ],
      };
    },
    async execute(p, signal, actor) {
      const now = Date.now();
      const body = {
        matchers: p.matchers,
        startsAt: new Date(now).toISOString(),
        endsAt: new Date(now + p.minutes * 60_000).toISOString(),
        createdBy: `layerwatch-remediation (${actor})`,
        comment: p.comment,
      };
      return (await callJson('POST', `${base}/api/v2/silences`, body, signal, 10)) as Record<
        string,
        unknown
      >;
    },
  };
}
