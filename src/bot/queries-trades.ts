// Closed-trade read models straight from the positions table: pages, statistics, daily PnL, the PnL curve (SQL aggregates).
import { and, count, desc, eq, gt, gte, isNotNull, lte, sql, type SQL } from 'drizzle-orm';
import { DAY_MS, kstDayOf, kstDayStart, KST_OFFSET_MS } from '../core/time.ts';
import type { Db } from '../db/client.ts';
import type { PositionRecord } from '../db/repos/positions.ts';
import { positions } from '../db/schema.ts';
import type { DailyPnlView, Page, PnlPoint, TradeFilter, TradeStats, TradeView } from './view.ts';

/**
 * A trade is a closed position with a known PnL (one sold outside the bot whose sells could not be found has none and is left out).
 * A win is pnl > 0, a loss pnl ≤ 0 — the same split everywhere on the dashboard.
 */
const isTrade = and(eq(positions.state, 'closed'), isNotNull(positions.pnlKrw));
const isWin = sql<boolean>`${positions.pnlKrw} > 0`;

export function tradeWhere(f: TradeFilter): SQL | undefined {
  return and(
    isTrade,
    f.market ? eq(positions.market, f.market) : undefined,
    f.result === 'win' ? gt(positions.pnlKrw, 0) : f.result === 'loss' ? lte(positions.pnlKrw, 0) : undefined,
  );
}

export const toTradeView = (p: PositionRecord): TradeView => ({
  id: p.id,
  market: p.market,
  entryPrice: p.entryPrice ?? 0,
  exitPrice: p.exitPrice ?? 0,
  volume: p.volume,
  entryCostKrw: p.entryCostKrw,
  pnlKrw: p.pnlKrw ?? 0,
  pnlRate: p.pnlRate ?? 0,
  openedAt: p.openedAt ?? p.createdAt,
  closedAt: p.closedAt ?? 0,
  exitReason: p.exitReason ?? 'unknown',
});

/** Newest first (closedAt, then id). */
export async function tradesPage(db: Db, q: TradeFilter & { limit: number; offset: number }): Promise<Page<TradeView>> {
  const where = tradeWhere(q);
  const [rows, [total]] = await Promise.all([
    db.select().from(positions).where(where).orderBy(desc(positions.closedAt), desc(positions.id)).limit(q.limit).offset(q.offset),
    db.select({ n: count() }).from(positions).where(where),
  ]);
  return { items: rows.map(toTradeView), total: total?.n ?? 0, limit: q.limit, offset: q.offset };
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export async function tradeStats(db: Db, f: TradeFilter): Promise<TradeStats> {
  const p = positions.pnlKrw;
  const [row] = await db
    .select({
      count: count(),
      wins: sql<number>`coalesce(sum(${isWin}), 0)`,
      avgWin: sql<number | null>`avg(case when ${p} > 0 then ${p} end)`,
      avgLoss: sql<number | null>`avg(case when ${p} <= 0 then ${p} end)`,
      total: sql<number>`coalesce(sum(${p}), 0)`,
      best: sql<number | null>`max(${p})`,
      worst: sql<number | null>`min(${p})`,
    })
    .from(positions)
    .where(tradeWhere(f));
  const n = row?.count ?? 0;
  const wins = Number(row?.wins ?? 0);
  return {
    count: n,
    wins,
    losses: n - wins,
    winRate: n > 0 ? wins / n : null,
    avgWinKrw: num(row?.avgWin),
    avgLossKrw: num(row?.avgLoss),
    totalPnlKrw: Number(row?.total ?? 0),
    bestKrw: num(row?.best),
    worstKrw: num(row?.worst),
  };
}

/** Realised PnL of trades closed at `from` ≤ closedAt < `to` (the KST day of the daily loss limit). */
export async function realisedBetween(db: Db, from: number, to: number): Promise<number> {
  const [row] = await db
    .select({ total: sql<number>`coalesce(sum(${positions.pnlKrw}), 0)` })
    .from(positions)
    .where(and(eq(positions.state, 'closed'), gte(positions.closedAt, from), sql`${positions.closedAt} < ${to}`));
  return Number(row?.total ?? 0);
}

/**
 * The KST day number of closed_at (whole days since the epoch in UTC+9; Korea has no daylight saving). Grouping
 * on this integer is several times cheaper than on a strftime() string; the day is formatted in JS.
 */
const kstDayNumberSql = sql<number>`cast((${positions.closedAt} + ${KST_OFFSET_MS}) / ${DAY_MS} as integer)`;

/** Days with trades among the last `days` KST days up to the day of `now`, oldest first. */
export async function dailyPnl(db: Db, now: number, days: number): Promise<DailyPnlView[]> {
  const from = kstDayStart(kstDayOf(now - (Math.max(1, days) - 1) * DAY_MS));
  const rows = await db
    .select({
      dayNumber: kstDayNumberSql,
      pnl: sql<number>`sum(${positions.pnlKrw})`,
      trades: count(),
      wins: sql<number>`sum(${isWin})`,
    })
    .from(positions)
    .where(and(isTrade, gte(positions.closedAt, from)))
    .groupBy(kstDayNumberSql)
    .orderBy(kstDayNumberSql);
  return rows.map((r) => ({
    day: kstDayOf(Number(r.dayNumber) * DAY_MS - KST_OFFSET_MS),
    pnlKrw: Number(r.pnl),
    trades: r.trades,
    wins: Number(r.wins),
    losses: r.trades - Number(r.wins),
  }));
}

/** The newest `limit` trades, oldest first; cumulativeKrw counts every trade before them as well. */
export async function pnlCurve(db: Db, limit: number): Promise<PnlPoint[]> {
  const [rows, [all]] = await Promise.all([
    db
      .select({ at: positions.closedAt, pnl: positions.pnlKrw })
      .from(positions)
      .where(isTrade)
      .orderBy(desc(positions.closedAt), desc(positions.id))
      .limit(limit),
    db.select({ total: sql<number>`coalesce(sum(${positions.pnlKrw}), 0)` }).from(positions).where(isTrade),
  ]);
  // Walk back from the grand total: the newest point's cumulative is the total of all trades.
  let cumulative = Number(all?.total ?? 0);
  const out: PnlPoint[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const pnl = rows[i]!.pnl ?? 0;
    out[rows.length - 1 - i] = { at: rows[i]!.at ?? 0, pnlKrw: pnl, cumulativeKrw: cumulative };
    cumulative -= pnl;
  }
  return out;
}

/** Trade count and wins over every trade (status card). */
export async function winStats(db: Db): Promise<{ count: number; wins: number }> {
  const [row] = await db.select({ n: count(), wins: sql<number>`coalesce(sum(${isWin}), 0)` }).from(positions).where(isTrade);
  return { count: row?.n ?? 0, wins: Number(row?.wins ?? 0) };
}
