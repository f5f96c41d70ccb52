// The day book behind the 00:00 KST summary: trades, wins and PnL from the closed positions (what the executor
// writes from real fills), the loss-limit mark and fees from the daily_pnl row.
import { DAY_MS, kstDayStart } from '../core/time.ts';
import type { Db } from '../db/client.ts';
import { createDailyPnlRepo, type DailyPnl } from '../db/repos/daily-pnl.ts';
import { dailyPnl } from './queries-trades.ts';

export function createDayBook(db: Db) {
  const stored = createDailyPnlRepo(db);
  return {
    async get(day: string): Promise<DailyPnl> {
      const book = await stored.get(day);
      const [row] = await dailyPnl(db, kstDayStart(day) + DAY_MS - 1, 1);
      return { ...book, realisedKrw: row?.pnlKrw ?? 0, trades: row?.trades ?? 0, wins: row?.wins ?? 0, losses: row?.losses ?? 0 };
    },
  };
}
