// The db-backed read models against a real in-memory db: status, positions, trades, stats, daily PnL, curve.
import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { createBotQueries } from '../../src/bot/queries.ts';
import type { DbHandle } from '../../src/db/client.ts';
import { raiseHighPrice } from '../../src/db/repos/positions.ts';
import { openTestDb } from '../helpers/test-db.ts';
import { FEED, makeDeps, seedOpen, seedOpening, seedPartialExit, seedTrade } from './queries-seed.ts';

// 12:00 KST on 2025-06-10; that KST day began at 2025-06-09T15:00Z.
const NOW = Date.UTC(2025, 5, 10, 3, 0);
let h: DbHandle;
beforeEach(async () => (h = await openTestDb()));
afterEach(() => h.close());

/** SOL open (2 @ 100,000), DOGE open with 400 of 1,000 sold @ 210, ADA entry in flight. */
async function seedLive() {
  const sol = await seedOpen(h.db, { market: 'KRW-SOL', volume: 2, entryPrice: 100_000, openedAt: NOW - 3_600_000 });
  const doge = await seedOpen(h.db, { market: 'KRW-DOGE', volume: 1_000, entryPrice: 200, openedAt: NOW - 1_800_000 });
  await seedPartialExit(h.db, doge.id, 400, 210);
  const ada = await seedOpening(h.db, 'KRW-ADA', NOW - 10_000);
  return { sol: sol.id, doge: doge.id, ada };
}

/** T1 −10,000 at 23:59 KST yesterday, T2 +3,000 at 00:00 KST today, T3 −45,000 today, T0 closed outside (no pnl). */
async function seedTrades() {
  const t0 = await seedTrade(h.db, { market: 'KRW-BTC', closedAt: NOW - 5 * 86_400_000, pnlKrw: null, reason: 'external' });
  const t1 = await seedTrade(h.db, { market: 'KRW-BTC', closedAt: Date.UTC(2025, 5, 9, 14, 59), pnlKrw: -10_000 });
  const t2 = await seedTrade(h.db, { market: 'KRW-ETH', closedAt: Date.UTC(2025, 5, 9, 15, 0), pnlKrw: 3_000, reason: 'take-profit' });
  const t3 = await seedTrade(h.db, { market: 'KRW-BTC', closedAt: Date.UTC(2025, 5, 10, 2, 0), pnlKrw: -45_000 });
  return { t0: t0.id, t1: t1.id, t2: t2.id, t3: t3.id };
}

describe('status', () => {
  test('KRW, equity at last prices, today by the KST day, limit, win rate, live sources', async () => {
    await seedLive();
    await seedTrades();
    const { deps, prices } = makeDeps(h.db, NOW);
    prices.set('KRW-SOL', 103_000);
    const s = await createBotQueries(deps).status();
    expect(s).toEqual({
      mode: 'paper', state: 'paused', stateReason: 'by owner', stateSince: 42,
      krw: 510_000,
      // 510,000 KRW + 2 SOL × 103,000 + 600 DOGE × 200 (no price: entry price)
      equity: 836_000,
      // T2 (00:00 KST) + T3; T1 at 23:59 KST belongs to yesterday
      todayPnl: -42_000, dailyLossLimit: -50_000, isDailyLimitHit: false,
      openPositions: 3, maxPositions: 3,
      winRate: 1 / 3, tradeCount: 3,
      feed: FEED, exchange: { isDegraded: true, reason: 'circuit open' }, lastHeartbeatAt: NOW - 1_000, now: NOW,
    });
  });

  test('a halt or exchange detail quoting a credential is shown masked (header, /api/status, Telegram read it here)', async () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJib3QifQ.c2lnbmF0dXJlLXBhcnQ';
    const reason = `reconcile: GET libsql://db.example/?authToken=${jwt} failed; sent Authorization: Bearer sk-live-abc123`;
    const { deps } = makeDeps(h.db, NOW, {
      botState: { current: () => ({ state: 'halted', reason, since: 42, haltCode: 'auth-failed' }), lastHeartbeat: async () => NOW },
      exchangeHealth: () => ({ isDegraded: true, reason: `Bearer ${jwt}` }),
    });
    const s = await createBotQueries(deps).status();
    expect(s.stateReason).not.toContain(jwt);
    expect(s.stateReason).not.toContain('sk-live-abc123');
    expect(s.stateReason).toContain('reconcile: GET libsql://db.example/');
    expect(s.exchange.reason).not.toContain(jwt);
  });

  test('equity without any live price values holdings at their entry prices', async () => {
    await seedLive();
    const { deps } = makeDeps(h.db, NOW);
    const s = await createBotQueries(deps).status();
    expect(s.equity).toBe(510_000 + 200_000 + 120_000);
    expect(s.winRate).toBeNull();
    expect(s.tradeCount).toBe(0);
  });

  test('the daily limit is hit at exactly the limit; the KST day turns at 15:00 UTC', async () => {
    await seedTrades();
    await seedTrade(h.db, { market: 'KRW-XRP', closedAt: NOW - 60_000, pnlKrw: -8_000 });
    const { deps, clock } = makeDeps(h.db, NOW);
    const q = createBotQueries(deps);
    expect(await q.status()).toMatchObject({ todayPnl: -50_000, isDailyLimitHit: true });
    clock.t = Date.UTC(2025, 5, 9, 14, 59, 59, 999); // 23:59:59.999 KST on the 9th: only T1 so far
    expect((await q.status()).todayPnl).toBe(-10_000);
    clock.t = Date.UTC(2025, 5, 10, 15, 0); // 00:00 KST on the 11th: nothing yet
    expect(await q.status()).toMatchObject({ todayPnl: 0, isDailyLimitHit: false });
  });

  test('the KRW balance may be a plain number or async; an unknown balance keeps the last one seen', async () => {
    const { deps, balance } = makeDeps(h.db, NOW);
    let calls = 0;
    const q = createBotQueries({ ...deps, balances: { krw: async () => (calls++ === 0 ? 123_456 : balance.value) } });
    expect((await q.status()).krw).toBe(123_456);
    balance.value = null;
    expect((await q.status()).krw).toBe(123_456);
  });
});

describe('positions', () => {
  test('held volume, price, PnL after the sell fee, TP/SL from the entry price', async () => {
    const ids = await seedLive();
    const { deps, prices } = makeDeps(h.db, NOW);
    prices.set('KRW-SOL', 103_000);
    const [sol, doge, ada] = await createBotQueries(deps).positions();
    // 2 × 103,000 × (1 − 0.0005) − (200,000 + 100)
    expect(sol).toMatchObject({ id: ids.sol, market: 'KRW-SOL', state: 'open', volume: 2, entryPrice: 100_000, currentPrice: 103_000, openedAt: NOW - 3_600_000 });
    expect(sol!.pnlKrw).toBeCloseTo(5_797, 6);
    expect(sol!.pnlRate).toBeCloseTo(5_797 / 200_100, 12);
    expect(sol!.takeProfitPrice).toBeCloseTo(103_000, 6);
    expect(sol!.stopLossPrice).toBeCloseTo(98_000, 6);
    expect(doge).toMatchObject({ id: ids.doge, volume: 600, currentPrice: null, pnlKrw: null, pnlRate: null });
    expect(doge!.takeProfitPrice).toBeCloseTo(206, 9);
    expect(doge!.stopLossPrice).toBeCloseTo(196, 9);
    expect(ada).toEqual({
      id: ids.ada, market: 'KRW-ADA', state: 'opening', volume: 0, entryPrice: null, currentPrice: null, pnlKrw: null, pnlRate: null,
      takeProfitPrice: null, stopLossPrice: null, openedAt: null,
    });

    // A partly sold position counts what its exits already brought: 84,000 − 42 + 600 × 210 × 0.9995 − 200,100
    prices.set('KRW-DOGE', 210);
    const [, doge2] = await createBotQueries(deps).positions();
    expect(doge2!.pnlKrw).toBeCloseTo(9_795, 6);
  });

  test('an armed trailing stop above the fixed stop is the stop shown', async () => {
    const sol = await seedOpen(h.db, { market: 'KRW-SOL', volume: 1, entryPrice: 100_000, openedAt: NOW });
    const { deps } = makeDeps(h.db, NOW);
    const q = createBotQueries({ ...deps, settings: { ...deps.settings, trailingStop: 0.01 } });
    await raiseHighPrice(h.db, sol.id, 100_500); // 99,495 < entry: not armed
    expect((await q.positions())[0]!.stopLossPrice).toBeCloseTo(98_000, 6);
    await raiseHighPrice(h.db, sol.id, 110_000); // 108,900 ≥ entry: armed
    expect((await q.positions())[0]!.stopLossPrice).toBeCloseTo(108_900, 6);
  });
});

describe('trades', () => {
  test('newest first with paging; closed positions without a pnl are left out', async () => {
    const t = await seedTrades();
    await seedLive();
    const q = createBotQueries(makeDeps(h.db, NOW).deps);
    const all = await q.trades({ limit: 10, offset: 0 });
    expect(all.total).toBe(3);
    expect(all.items.map((x) => x.id)).toEqual([t.t3, t.t2, t.t1]);
    expect(all.items[1]).toEqual({
      id: t.t2, market: 'KRW-ETH', entryPrice: 1_000, exitPrice: (3_000 + 100_050) / 100, volume: 100, entryCostKrw: 100_000,
      pnlKrw: 3_000, pnlRate: 3_000 / 100_050, openedAt: Date.UTC(2025, 5, 9, 14, 50), closedAt: Date.UTC(2025, 5, 9, 15, 0), exitReason: 'take-profit',
    });
    const page = await q.trades({ limit: 2, offset: 1 });
    expect(page).toMatchObject({ total: 3, limit: 2, offset: 1 });
    expect(page.items.map((x) => x.id)).toEqual([t.t2, t.t1]);
  });

  test('filters by market and by result', async () => {
    const t = await seedTrades();
    const q = createBotQueries(makeDeps(h.db, NOW).deps);
    const btc = await q.trades({ limit: 10, offset: 0, market: 'KRW-BTC' });
    expect([btc.total, btc.items.map((x) => x.id)]).toEqual([2, [t.t3, t.t1]]);
    const wins = await q.trades({ limit: 10, offset: 0, result: 'win' });
    expect([wins.total, wins.items.map((x) => x.id)]).toEqual([1, [t.t2]]);
    const btcLosses = await q.trades({ limit: 1, offset: 1, market: 'KRW-BTC', result: 'loss' });
    expect([btcLosses.total, btcLosses.items.map((x) => x.id)]).toEqual([2, [t.t1]]);
    expect((await q.trades({ limit: 10, offset: 0, market: 'KRW-ETH', result: 'loss' })).total).toBe(0);
  });

  test('statistics, filtered the same way', async () => {
    await seedTrades();
    const q = createBotQueries(makeDeps(h.db, NOW).deps);
    expect(await q.tradeStats({})).toEqual({
      count: 3, wins: 1, losses: 2, winRate: 1 / 3, avgWinKrw: 3_000, avgLossKrw: -27_500, totalPnlKrw: -52_000, bestKrw: 3_000, worstKrw: -45_000,
    });
    expect(await q.tradeStats({ result: 'win', market: 'KRW-BTC' })).toEqual({
      count: 0, wins: 0, losses: 0, winRate: null, avgWinKrw: null, avgLossKrw: null, totalPnlKrw: 0, bestKrw: null, worstKrw: null,
    });
  });

  test('daily PnL by KST day, oldest first, over the last n days', async () => {
    await seedTrades();
    const q = createBotQueries(makeDeps(h.db, NOW).deps);
    expect(await q.dailyPnl(2)).toEqual([
      { day: '2025-06-09', pnlKrw: -10_000, trades: 1, wins: 0, losses: 1 },
      { day: '2025-06-10', pnlKrw: -42_000, trades: 2, wins: 1, losses: 1 },
    ]);
    expect(await q.dailyPnl(1)).toEqual([{ day: '2025-06-10', pnlKrw: -42_000, trades: 2, wins: 1, losses: 1 }]);
  });

  test('PnL curve: the newest trades oldest first, cumulative over every trade', async () => {
    await seedTrades();
    const q = createBotQueries(makeDeps(h.db, NOW).deps);
    expect(await q.pnlCurve({ limit: 2 })).toEqual([
      { at: Date.UTC(2025, 5, 9, 15, 0), pnlKrw: 3_000, cumulativeKrw: -7_000 },
      { at: Date.UTC(2025, 5, 10, 2, 0), pnlKrw: -45_000, cumulativeKrw: -52_000 },
    ]);
    expect((await q.pnlCurve({ limit: 10 })).map((p) => p.cumulativeKrw)).toEqual([-10_000, -7_000, -52_000]);
  });
});
