// Every statement the dashboard's read models run has an index to use: no throwaway (AUTOMATIC) index built per query.
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { drizzle } from 'drizzle-orm/libsql';
import { createBotQueries } from '../../src/bot/queries.ts';
import type { DbHandle } from '../../src/db/client.ts';
import * as schema from '../../src/db/schema.ts';
import { makeDeps } from '../bot/queries-seed.ts';
import { openTestDb } from '../helpers/test-db.ts';

const NOW = Date.UTC(2025, 5, 10, 3, 0);
let h: DbHandle;
const statements = new Map<string, unknown[]>();

beforeAll(async () => {
  h = await openTestDb();
  // A second Drizzle over the same migrated connection, with a logger that keeps each distinct statement.
  const db = drizzle(h.client, { schema, logger: { logQuery: (sql, params) => void statements.set(sql, params) } });
  const q = createBotQueries({ ...makeDeps(db, NOW).deps, candles: () => [] });
  const filter = { limit: 20, offset: 0 };
  await q.status();
  await q.positions();
  await q.trades(filter);
  await q.trades({ ...filter, market: 'KRW-SOL', result: 'win' });
  await q.adviserDecisions(filter);
  await q.events(filter);
  await q.events({ ...filter, minLevel: 'warn' });
  await q.chart('KRW-SOL', { limit: 50 });
  await q.chartMarkets();
  await q.tradeStats({});
  await q.tradeStats({ market: 'KRW-SOL' });
  await q.dailyPnl(30);
  await q.pnlCurve({ limit: 200 });
  await q.adviserQuota();
});
afterAll(() => h.close());

test('the read models ran a realistic set of statements', () => {
  expect(statements.size).toBeGreaterThanOrEqual(10);
  expect([...statements.keys()].some((s) => s.includes('"adviser_decisions"') && s.includes('join "positions"'))).toBe(true);
});

test('no statement makes SQLite build an automatic index', async () => {
  const automatic: string[] = [];
  for (const [sql, params] of statements) {
    const plan = await h.client.execute({ sql: `EXPLAIN QUERY PLAN ${sql}`, args: params as never });
    const details = plan.rows.map((r) => String(r.detail));
    if (details.some((d) => d.includes("AUTOMATIC"))) automatic.push(`${sql}\n  → ${details.join(' | ')}`);
  }
  expect(automatic).toEqual([]);
});
