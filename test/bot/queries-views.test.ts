// Read models beyond trades: events and adviser rounds with paging, the AI quota, charts, settings, a 10,000-trade db.
import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { createBotQueries, settingViews } from '../../src/bot/queries.ts';
import type { ChartCandle } from '../../src/bot/view.ts';
import { kstDayOf, kstDayStart } from '../../src/core/time.ts';
import type { DbHandle } from '../../src/db/client.ts';
import { createAdviserDecisionsRepo } from '../../src/db/repos/adviser-decisions.ts';
import { createEventsRepo } from '../../src/db/repos/events.ts';
import { insertFills } from '../../src/db/repos/fills.ts';
import { insertOrder } from '../../src/db/repos/orders.ts';
import { openTestDb } from '../helpers/test-db.ts';
import { genTrade, makeDeps, seedManyTrades, seedOpen, seedTrade } from './queries-seed.ts';

const NOW = Date.UTC(2025, 5, 10, 3, 0);
let h: DbHandle;
beforeEach(async () => (h = await openTestDb()));
afterEach(() => h.close());

describe('events and adviser rounds', () => {
  test('events newest first; minLevel keeps that level and louder; paging with totals', async () => {
    const repo = createEventsRepo(h.db);
    for (const [i, level] of (['debug', 'info', 'warn', 'error', 'warn'] as const).entries()) {
      await repo.append({ at: NOW + i, level, kind: 'k', message: `m${i}`, data: { i } });
    }
    const q = createBotQueries(makeDeps(h.db, NOW).deps);
    const all = await q.events({ limit: 2, offset: 0 });
    expect([all.total, all.items.map((e) => e.message)]).toEqual([5, ['m4', 'm3']]);
    const warn = await q.events({ limit: 10, offset: 1, minLevel: 'warn' });
    expect([warn.total, warn.items.map((e) => e.message)]).toEqual([3, ['m3', 'm2']]);
    expect(warn.items[0]).toMatchObject({ level: 'error', data: { i: 3 } });
    expect((await q.events({ limit: 10, offset: 0, minLevel: 'error' })).total).toBe(1);
  });

  test('adviser decisions newest first with paging', async () => {
    const repo = createAdviserDecisionsRepo(h.db);
    for (let i = 0; i < 3; i++) await repo.insert({ at: NOW + i, adviser: 'gemini', candidates: [{ market: `KRW-M${i}` }], pick: `KRW-M${i}`, outcome: 'taken' });
    const page = await createBotQueries(makeDeps(h.db, NOW).deps).adviserDecisions({ limit: 2, offset: 1 });
    expect([page.total, page.items.map((d) => d.pick)]).toEqual([3, ['KRW-M1', 'KRW-M0']]);
    expect(page.items[0]!.candidates).toEqual([{ market: 'KRW-M1' }]);
  });

  test('quota: requests of this adviser in the current KST month, or the injected count', async () => {
    const repo = createAdviserDecisionsRepo(h.db);
    const monthStart = Date.UTC(2025, 4, 31, 15, 0); // 00:00 KST 2025-06-01
    const round = (at: number, adviser = 'gemini', latencyMs: number | null = 100) =>
      repo.insert({ at, adviser, candidates: [], outcome: 'taken', latencyMs });
    await round(monthStart - 1); // May in Korea
    await round(monthStart);
    await round(NOW);
    await round(NOW, 'gemini', null); // no request sent
    await round(NOW, 'other');
    const { deps } = makeDeps(h.db, NOW);
    const adviser = { name: 'gemini', isEnabled: true, monthlyQuota: 1_500 };
    expect(await createBotQueries({ ...deps, adviser }).adviserQuota()).toEqual({ adviser: 'gemini', isEnabled: true, usedThisMonth: 2, monthlyQuota: 1_500 });
    const injected = createBotQueries({ ...deps, adviser, adviserQuota: () => ({ used: 7, limit: 9 }) });
    expect(await injected.adviserQuota()).toEqual({ adviser: 'gemini', isEnabled: true, usedThisMonth: 7, monthlyQuota: 9 });
    expect(await createBotQueries(deps).adviserQuota()).toMatchObject({ adviser: 'top-candidate', isEnabled: false, usedThisMonth: 0 });
  });
});

describe('charts and settings', () => {
  const T0 = Date.UTC(2025, 5, 10, 2, 0);
  const candle = (k: number): ChartCandle & { market: string } => ({
    market: 'KRW-SOL', openTime: T0 + k * 300_000, open: 100, high: 110, low: 90, close: 105, volume: k,
  });

  test('candles from the source, the fills inside their span, the live position levels', async () => {
    const asked: unknown[] = [];
    const candles = async (market: string, unit: number, count: number) => {
      asked.push([market, unit, count]);
      return [candle(2), candle(0), candle(1)];
    };
    const p = await seedOpen(h.db, { market: 'KRW-SOL', volume: 1, entryPrice: 100_000, openedAt: T0 });
    const buy = await insertOrder(h.db, { identifier: 'b1', market: 'KRW-SOL', side: 'buy', kind: 'market', purpose: 'entry', positionId: p.id, at: T0 });
    const fill = (tradeId: string, time: number, side: 'buy' | 'sell' = 'buy') => ({ tradeId, side, price: 100_000, volume: 0.5, funds: 50_000, time });
    await insertFills(h.db, buy.id, 'KRW-SOL', [fill('f-before', T0 - 1), fill('f1', T0 + 60_000), fill('f2', T0 + 900_000 - 1), fill('f-after', T0 + 900_000)]);
    const other = await insertOrder(h.db, { identifier: 'x', market: 'KRW-ETH', side: 'buy', kind: 'market', purpose: 'manual', at: T0 });
    await insertFills(h.db, other.id, 'KRW-ETH', [fill('e1', T0 + 60_000)]);

    const q = createBotQueries({ ...makeDeps(h.db, NOW).deps, candles });
    const v = await q.chart('KRW-SOL', { limit: 2 });
    expect(asked).toEqual([['KRW-SOL', 5, 2]]);
    expect(v.candles).toEqual([1, 2].map((k) => ({ openTime: T0 + k * 300_000, open: 100, high: 110, low: 90, close: 105, volume: k })));
    // Span: first candle's start (T0 + 5 min) up to the end of the last one (T0 + 15 min)
    expect(v.fills).toEqual([{ at: T0 + 900_000 - 1, side: 'buy', price: 100_000, volume: 0.5, positionId: p.id }]);
    expect(v.entryPrice).toBe(100_000);
    expect(v.takeProfitPrice).toBeCloseTo(103_000, 6);
    expect(v.stopLossPrice).toBeCloseTo(98_000, 6);

    const full = await q.chart('KRW-SOL', { limit: 10 });
    expect(full.fills.map((f) => f.at)).toEqual([T0 + 60_000, T0 + 900_000 - 1]);
    const eth = await q.chart('KRW-ETH', { limit: 10 });
    expect([eth.entryPrice, eth.takeProfitPrice]).toEqual([null, null]);
    expect(await createBotQueries(makeDeps(h.db, NOW).deps).chart('KRW-SOL', { limit: 10 })).toMatchObject({ candles: [], fills: [] });
  });

  test('chart markets: live positions, then adviser picks and candidates, then recent trades, no repeats', async () => {
    await seedTrade(h.db, { market: 'KRW-XRP', closedAt: NOW - 60_000, pnlKrw: 1 });
    await seedOpen(h.db, { market: 'KRW-SOL', volume: 1, entryPrice: 100, openedAt: NOW });
    await createAdviserDecisionsRepo(h.db).insert({
      at: NOW, adviser: 'gemini', candidates: [{ market: 'KRW-ETH' }, { market: 'KRW-SOL' }, 'junk'], pick: 'KRW-BTC', outcome: 'taken',
    });
    expect(await createBotQueries(makeDeps(h.db, NOW).deps).chartMarkets()).toEqual(['KRW-SOL', 'KRW-BTC', 'KRW-ETH', 'KRW-XRP']);
  });

  test('settings: secrets are never copied out', async () => {
    const rows = settingViews({ TRADING_MODE: 'paper', UPBIT_SECRET_KEY: 'hunter2', GEMINI_API_KEY: undefined, TRAILING_STOP: null, MAX_POSITIONS: 3 });
    expect(rows).toEqual([
      { key: 'TRADING_MODE', value: 'paper', isSecret: false },
      { key: 'UPBIT_SECRET_KEY', value: '(set)', isSecret: true },
      { key: 'GEMINI_API_KEY', value: null, isSecret: true },
      { key: 'TRAILING_STOP', value: null, isSecret: false },
      { key: 'MAX_POSITIONS', value: '3', isSecret: false },
    ]);
    const { deps } = makeDeps(h.db, NOW);
    expect(JSON.stringify(await createBotQueries({ ...deps, config: { UPBIT_SECRET_KEY: 'hunter2' } }).settings())).not.toContain('hunter2');
    expect(await createBotQueries(deps).settings()).toContainEqual({ key: 'DAILY_LOSS_LIMIT', value: '-50000', isSecret: false });
  });
});

describe('a db with 10,000 closed trades', () => {
  test('status, trades and stats agree with the same sums done by hand', async () => {
    const N = 10_000;
    const start = Date.UTC(2025, 0, 1);
    await seedManyTrades(h.db, N, start);
    const now = genTrade(N - 1, start).closedAt + 1;
    const all = Array.from({ length: N }, (_, i) => genTrade(i, start));
    const today = kstDayStart(kstDayOf(now));
    const expectToday = all.filter((t) => t.closedAt >= today).reduce((s, t) => s + t.pnlKrw, 0);
    const winners = all.filter((t) => t.pnlKrw > 0);

    const q = createBotQueries(makeDeps(h.db, now).deps);
    const s = await q.status();
    expect(s).toMatchObject({ todayPnl: expectToday, tradeCount: N, winRate: winners.length / N, openPositions: 0, equity: 510_000 });

    const page = await q.trades({ limit: 20, offset: 40 });
    expect(page.total).toBe(N);
    expect(page.items.map((t) => t.closedAt)).toEqual(all.slice(N - 60, N - 40).reverse().map((t) => t.closedAt));
    const wins = await q.trades({ limit: 5, offset: 0, market: 'KRW-ETH', result: 'win' });
    expect(wins.total).toBe(winners.filter((t) => t.market === 'KRW-ETH').length);
    expect(wins.items.every((t) => t.market === 'KRW-ETH' && t.pnlKrw > 0)).toBe(true);
    const stats = await q.tradeStats({});
    expect([stats.totalPnlKrw, stats.bestKrw, stats.worstKrw]).toEqual([all.reduce((s, t) => s + t.pnlKrw, 0), 100, -100]);
  });
});
