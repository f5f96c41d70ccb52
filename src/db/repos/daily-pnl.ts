// The daily PnL book ↔ the daily_pnl table: closed trades booked into their Asia/Seoul calendar day.
import { and, asc, eq, gte, isNull, lte, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { kstDayOf } from '../../core/time.ts';
import type { Db } from '../client.ts';
import { dailyPnl } from '../schema.ts';

export type DailyPnl = typeof dailyPnl.$inferSelect;
/** A closed trade: net PnL (after both fees) and the fees paid, booked at closedAt (UTC epoch ms). */
export type ClosedTrade = { closedAt: number; pnlKrw: number; feesKrw: number };

export const emptyDay = (day: string): DailyPnl => ({ day, realisedKrw: 0, feesKrw: 0, trades: 0, wins: 0, losses: 0, limitHitAt: null });

export type DailyPnlRepo = {
  /**
   * The upsert that books one closed trade (a win when pnl > 0, a loss when < 0). Run it in the same
   * db.batch or transaction that closes the position, so a crash cannot book a trade twice or not at all.
   */
  recordTradeQuery(trade: ClosedTrade): BatchItem<'sqlite'>;
  recordTrade(trade: ClosedTrade): Promise<DailyPnl>;
  get(day: string): Promise<DailyPnl>;
  /** The book of the KST day containing `now`. */
  today(now: number): Promise<DailyPnl>;
  /** Sets limitHitAt once per day; true only for the call that set it (so the event is sent once). */
  markLimitHit(day: string, at: number): Promise<boolean>;
  /** Days in [from, to] ('YYYY-MM-DD', inclusive), oldest first; both optional. */
  list(range?: { from?: string; to?: string }): Promise<DailyPnl[]>;
};

export function createDailyPnlRepo(db: Db): DailyPnlRepo {
  const get = async (day: string): Promise<DailyPnl> => {
    const [row] = await db.select().from(dailyPnl).where(eq(dailyPnl.day, day)).limit(1);
    return row ?? emptyDay(day);
  };
  const recordTradeQuery = (t: ClosedTrade) => {
    const win = t.pnlKrw > 0 ? 1 : 0;
    const loss = t.pnlKrw < 0 ? 1 : 0;
    return db
      .insert(dailyPnl)
      .values({ day: kstDayOf(t.closedAt), realisedKrw: t.pnlKrw, feesKrw: t.feesKrw, trades: 1, wins: win, losses: loss })
      .onConflictDoUpdate({
        target: dailyPnl.day,
        set: {
          realisedKrw: sql`${dailyPnl.realisedKrw} + ${t.pnlKrw}`,
          feesKrw: sql`${dailyPnl.feesKrw} + ${t.feesKrw}`,
          trades: sql`${dailyPnl.trades} + 1`,
          wins: sql`${dailyPnl.wins} + ${win}`,
          losses: sql`${dailyPnl.losses} + ${loss}`,
        },
      });
  };
  return {
    recordTradeQuery,
    async recordTrade(t) {
      await recordTradeQuery(t);
      return get(kstDayOf(t.closedAt));
    },
    get,
    today: (now) => get(kstDayOf(now)),
    async markLimitHit(day, at) {
      await db.insert(dailyPnl).values({ day }).onConflictDoNothing();
      const res = await db.update(dailyPnl).set({ limitHitAt: at }).where(and(eq(dailyPnl.day, day), isNull(dailyPnl.limitHitAt)));
      return res.rowsAffected === 1;
    },
    list: (range = {}) =>
      db
        .select()
        .from(dailyPnl)
        .where(and(range.from ? gte(dailyPnl.day, range.from) : undefined, range.to ? lte(dailyPnl.day, range.to) : undefined))
        .orderBy(asc(dailyPnl.day)),
  };
}
