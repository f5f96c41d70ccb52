import { describe, expect, test } from 'bun:test';
import { createDayBook } from '../../src/bot/day-book.ts';
import { createDailyPnlRepo } from '../../src/db/repos/daily-pnl.ts';
import { positions } from '../../src/db/schema.ts';
import { openTestDb } from '../helpers/test-db.ts';

const closed = (id: number, closedAt: number, pnlKrw: number | null) => ({
  id, market: `KRW-M${id}`, state: 'closed' as const, volume: 1, exitVolume: 1, entryPrice: 100, entryCostKrw: 100_000,
  entryFeeKrw: 50, openedAt: closedAt - 60_000, closedAt, exitReason: 'take-profit', pnlKrw, createdAt: closedAt - 60_000,
});

describe('createDayBook', () => {
  test('the day summary counts the closed positions of that KST day, and keeps the limit mark of the stored row', async () => {
    const h = await openTestDb();
    try {
      await h.db.insert(positions).values([
        closed(1, Date.UTC(2025, 8, 2, 14, 59), 1_500), // 23:59 KST on 09-02
        closed(2, Date.UTC(2025, 8, 2, 15, 0), -700), // 00:00 KST on 09-03
        closed(3, Date.UTC(2025, 8, 3, 10, 0), 200),
        closed(4, Date.UTC(2025, 8, 3, 11, 0), null), // sold outside the bot: not a trade
      ]);
      await createDailyPnlRepo(h.db).markLimitHit('2025-09-03', Date.UTC(2025, 8, 3, 12));
      const book = createDayBook(h.db);
      expect(await book.get('2025-09-02')).toMatchObject({ realisedKrw: 1_500, trades: 1, wins: 1, losses: 0, limitHitAt: null });
      expect(await book.get('2025-09-03')).toMatchObject({ realisedKrw: -500, trades: 2, wins: 1, losses: 1, limitHitAt: Date.UTC(2025, 8, 3, 12) });
      expect(await book.get('2025-09-04')).toMatchObject({ realisedKrw: 0, trades: 0 });
    } finally {
      h.close();
    }
  });
});
