// Chart read models (candles from an injected source, the bot's fills from the db) and the markets worth charting.
import { and, asc, desc, eq, gte, inArray, isNotNull, lt } from 'drizzle-orm';
import type { MarketCode } from '../core/types.ts';
import type { Db } from '../db/client.ts';
import { LIVE_POSITION_STATES } from '../db/repos/positions.ts';
import { adviserDecisions, fills, orders, positions } from '../db/schema.ts';
import type { ChartCandle, ChartFill } from './view.ts';

/** Minutes per candle of the dashboard chart: the strategy's 5-minute candles. */
export const CHART_UNIT_MINUTES = 5;
/** At most this many markets are offered for charting. */
export const CHART_MARKETS_MAX = 20;

type MaybePromise<T> = T | Promise<T>;
/** The last `count` candles of a market in `unit`-minute buckets, oldest first (market data provides it). */
export type CandleSource = (market: MarketCode, unitMinutes: number, count: number) => MaybePromise<readonly ChartCandle[]>;

const pickCandle = (c: ChartCandle): ChartCandle => ({ openTime: c.openTime, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume });

export async function chartCandles(source: CandleSource | undefined, market: MarketCode, limit: number): Promise<ChartCandle[]> {
  if (!source || limit <= 0) return [];
  const list = [...(await source(market, CHART_UNIT_MINUTES, limit))].sort((a, b) => a.openTime - b.openTime);
  return list.slice(-limit).map(pickCandle);
}

/** The bot's fills in a market at from ≤ time < to, oldest first, with the position of their order. */
export async function fillsBetween(db: Db, market: MarketCode, from: number, to: number): Promise<ChartFill[]> {
  const rows = await db
    .select({ at: fills.time, side: fills.side, price: fills.price, volume: fills.volume, positionId: orders.positionId })
    .from(fills)
    .leftJoin(orders, eq(orders.id, fills.orderId))
    .where(and(eq(fills.market, market), gte(fills.time, from), lt(fills.time, to)))
    .orderBy(asc(fills.time), asc(fills.tradeId));
  return rows.map((r) => ({ at: r.at, side: r.side, price: r.price, volume: r.volume, positionId: r.positionId ?? null }));
}

const marketsOf = (json: string): string[] => {
  try {
    const list = JSON.parse(json) as unknown;
    if (!Array.isArray(list)) return [];
    return list.flatMap((c) => (c && typeof c === 'object' && typeof (c as { market?: unknown }).market === 'string' ? [(c as { market: string }).market] : []));
  } catch {
    return [];
  }
};

/** Live positions first (oldest first), then picks and candidates of recent adviser rounds, then recently traded markets. */
export async function chartMarkets(db: Db, max = CHART_MARKETS_MAX): Promise<MarketCode[]> {
  const [live, rounds, traded] = await Promise.all([
    db.select({ market: positions.market }).from(positions).where(inArray(positions.state, [...LIVE_POSITION_STATES])).orderBy(asc(positions.id)),
    db
      .select({ pick: adviserDecisions.pick, candidates: adviserDecisions.candidatesJson })
      .from(adviserDecisions)
      .orderBy(desc(adviserDecisions.at), desc(adviserDecisions.id))
      .limit(10),
    db
      .select({ market: positions.market })
      .from(positions)
      .where(and(eq(positions.state, 'closed'), isNotNull(positions.closedAt)))
      .orderBy(desc(positions.closedAt))
      .limit(20),
  ]);
  const out = new Set<MarketCode>(live.map((r) => r.market));
  for (const r of rounds) {
    if (r.pick) out.add(r.pick);
    for (const m of marketsOf(r.candidates)) out.add(m);
  }
  for (const r of traded) out.add(r.market);
  return [...out].slice(0, max);
}
