// JSON API: status, positions, trades, adviser decisions, events, and the pause/resume commands.
import { Hono } from 'hono';
import { z } from 'zod';
import type { BotCommands, BotQueries } from '../bot/view.ts';

const paging = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
const tradesQuery = paging.extend({
  market: z.string().regex(/^[A-Z]{2,5}-[A-Z0-9]{1,15}$/, 'must be a market code such as KRW-BTC').optional(),
  result: z.enum(['win', 'loss']).optional(),
});
const eventsQuery = paging.extend({ level: z.enum(['debug', 'info', 'warn', 'error']).optional() });

/** Parses query parameters; on failure returns a message naming each bad parameter. */
function parseQuery<T extends z.ZodType>(schema: T, query: Record<string, string>): { ok: true; value: z.output<T> } | { ok: false; error: string } {
  const r = schema.safeParse(query);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, error: r.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join('; ') };
}

export function createApi(deps: { queries: BotQueries; commands: BotCommands }) {
  const api = new Hono();
  api.get('/status', async (c) => c.json(await deps.queries.status()));
  api.get('/positions', async (c) => c.json(await deps.queries.positions()));
  api.get('/trades', async (c) => {
    const q = parseQuery(tradesQuery, c.req.query());
    return q.ok ? c.json(await deps.queries.trades(q.value)) : c.json({ error: q.error }, 400);
  });
  api.get('/ai-decisions', async (c) => {
    const q = parseQuery(paging, c.req.query());
    return q.ok ? c.json(await deps.queries.adviserDecisions(q.value)) : c.json({ error: q.error }, 400);
  });
  api.get('/events', async (c) => {
    const q = parseQuery(eventsQuery, c.req.query());
    if (!q.ok) return c.json({ error: q.error }, 400);
    const { level, ...page } = q.value;
    return c.json(await deps.queries.events({ ...page, ...(level ? { minLevel: level } : {}) }));
  });
  api.post('/bot/pause', async (c) => {
    const r = await deps.commands.pause('api');
    return c.json(r, r.ok ? 200 : 409);
  });
  api.post('/bot/resume', async (c) => {
    const r = await deps.commands.resume('api');
    return c.json(r, r.ok ? 200 : 409);
  });
  return api;
}
