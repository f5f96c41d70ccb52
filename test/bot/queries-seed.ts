// Seeds positions for the read-model tests and bench: one at a time through the repos, or many closed trades at once.
import type { Db } from '../../src/db/client.ts';
import {
  beginClosing, markPositionClosed, markPositionOpen, newPositionValues, reopenPosition, type PositionRecord,
} from '../../src/db/repos/positions.ts';
import { positions } from '../../src/db/schema.ts';
import type { BotQueriesDeps, KrwBalance, QuerySettings } from '../../src/bot/queries.ts';
import type { FeedState } from '../../src/bot/view.ts';

export type Entry = { market: string; volume: number; entryPrice: number; openedAt: number; feeRate?: number };

async function insertOpening(db: Db, market: string, at: number): Promise<number> {
  const [row] = await db.insert(positions).values(newPositionValues({ market, at })).returning({ id: positions.id });
  return row!.id;
}

/** opening → open at the entry's price; cost = volume × price, fee 0.05% of it. */
export async function seedOpen(db: Db, e: Entry): Promise<PositionRecord> {
  const id = await insertOpening(db, e.market, e.openedAt);
  const cost = e.volume * e.entryPrice;
  return (await markPositionOpen(db, id, {
    volume: e.volume, entryPrice: e.entryPrice, entryCostKrw: cost, entryFeeKrw: cost * (e.feeRate ?? 0.0005), openedAt: e.openedAt,
  }))!;
}

export const seedOpening = async (db: Db, market: string, at: number) => insertOpening(db, market, at);

/** A partial exit: `sold` of the volume went at `price` (fee 0.05%) and the position is open again. */
export async function seedPartialExit(db: Db, id: number, sold: number, price: number): Promise<PositionRecord> {
  await beginClosing(db, id, 'take-profit');
  const proceeds = sold * price;
  return (await reopenPosition(db, id, { exitVolume: sold, exitPrice: price, exitProceedsKrw: proceeds, exitFeeKrw: proceeds * 0.0005 }))!;
}

/** A whole trade: opened, then closed at closedAt with the given pnl (null: closed outside the bot). */
export async function seedTrade(
  db: Db,
  t: { market: string; closedAt: number; pnlKrw: number | null; reason?: string; entryPrice?: number; openedAt?: number },
): Promise<PositionRecord> {
  const entryPrice = t.entryPrice ?? 1_000;
  const p = await seedOpen(db, { market: t.market, volume: 100, entryPrice, openedAt: t.openedAt ?? t.closedAt - 600_000 });
  await beginClosing(db, p.id, t.reason ?? 'stop-loss');
  const invested = p.entryCostKrw + p.entryFeeKrw;
  return (await markPositionClosed(db, p.id, 'closing', {
    exitVolume: 100, exitPrice: t.pnlKrw === null ? null : (t.pnlKrw + invested) / 100, exitProceedsKrw: t.pnlKrw === null ? 0 : t.pnlKrw + invested,
    exitFeeKrw: 0, closedAt: t.closedAt, exitReason: t.reason ?? 'stop-loss', pnlKrw: t.pnlKrw, pnlRate: t.pnlKrw === null ? null : t.pnlKrw / invested, dustVolume: 0,
  }))!;
}

export const MARKETS = ['KRW-BTC', 'KRW-ETH', 'KRW-XRP', 'KRW-SOL', 'KRW-DOGE'];
/** The i-th generated trade: pnl an integer in −100..100 KRW, one per minute from `start`, markets in turn. */
export const genTrade = (i: number, start: number) => ({
  market: MARKETS[i % MARKETS.length]!,
  pnlKrw: ((i * 37) % 201) - 100,
  closedAt: start + i * 60_000,
});

/** `n` closed trades in multi-row inserts (the repos' single-row path would take seconds for 10,000). */
export async function seedManyTrades(db: Db, n: number, start: number): Promise<void> {
  const CHUNK = 500;
  for (let from = 0; from < n; from += CHUNK) {
    const rows = [];
    for (let i = from; i < Math.min(n, from + CHUNK); i++) {
      const t = genTrade(i, start);
      rows.push({
        ...newPositionValues({ market: t.market, at: t.closedAt - 600_000 }),
        state: 'closed' as const, volume: 100, entryPrice: 1_000, entryCostKrw: 100_000, entryFeeKrw: 50, openedAt: t.closedAt - 600_000,
        highPrice: 1_000, exitVolume: 100, exitPrice: 1_000, exitProceedsKrw: 100_050 + t.pnlKrw, exitFeeKrw: 0, closedAt: t.closedAt,
        exitReason: t.pnlKrw > 0 ? 'take-profit' : 'stop-loss', pnlKrw: t.pnlKrw, pnlRate: t.pnlKrw / 100_050,
      });
    }
    await db.insert(positions).values(rows);
  }
}

export const SETTINGS: QuerySettings = { maxPositions: 3, dailyLossLimit: -50_000, profitRate: 0.03, lossRate: -0.02, trailingStop: null };
export const FEED: FeedState = { isUp: true, lastTickAt: 1, reconnects: 2, detail: null };

/** Deps with fixed live sources and no result cache; `prices`, `balance` and `clock.t` are for the test to set. */
export function makeDeps(db: Db, now: number, over: Partial<BotQueriesDeps> = {}) {
  const prices = new Map<string, number>();
  const balance: { value: KrwBalance } = { value: { free: 500_000, locked: 10_000 } };
  const clock = { t: now, now() { return this.t; } };
  const deps: BotQueriesDeps = {
    db, clock, mode: 'paper', settings: SETTINGS,
    botState: { current: () => ({ state: 'paused', reason: 'by owner', since: 42, haltCode: null }), lastHeartbeat: async () => now - 1_000 },
    prices: { last: (m) => (prices.has(m) ? { price: prices.get(m)!, time: now } : null) },
    balances: { krw: () => balance.value },
    feed: () => FEED,
    exchangeHealth: () => ({ isDegraded: true, reason: 'circuit open' }),
    cacheMs: 0, // fresh reads: these tests change rows between calls at one clock time
    ...over,
  };
  return { deps, prices, balance, clock };
}
