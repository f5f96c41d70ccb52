import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import type { DbHandle } from '../../../src/db/client.ts';
import { createDailyPnlRepo, type DailyPnlRepo } from '../../../src/db/repos/daily-pnl.ts';
import { openTestDb } from '../../helpers/test-db.ts';

let h: DbHandle;
let repo: DailyPnlRepo;
beforeEach(async () => {
  h = await openTestDb();
  repo = createDailyPnlRepo(h.db);
});
afterEach(() => h.close());

/** 2026-01-01 15:00 UTC is 2026-01-02 00:00 KST. */
const MIDNIGHT_KST = Date.UTC(2026, 0, 1, 15);

describe('daily PnL repo', () => {
  test('trades are booked into their KST day, either side of midnight KST', async () => {
    await repo.recordTrade({ closedAt: MIDNIGHT_KST - 1, pnlKrw: -3_000, feesKrw: 100 });
    await repo.recordTrade({ closedAt: MIDNIGHT_KST, pnlKrw: 2_000, feesKrw: 100 });
    expect(await repo.get('2026-01-01')).toMatchObject({ realisedKrw: -3_000, trades: 1, wins: 0, losses: 1 });
    expect(await repo.today(MIDNIGHT_KST + 3_600_000)).toMatchObject({ day: '2026-01-02', realisedKrw: 2_000, wins: 1 });
  });

  test('a day accumulates PnL, fees, trades, wins and losses; a break-even trade is neither', async () => {
    for (const pnlKrw of [3_000, -2_000, 0, 1_500]) await repo.recordTrade({ closedAt: MIDNIGHT_KST + 1_000, pnlKrw, feesKrw: 100.5 });
    expect(await repo.get('2026-01-02')).toEqual({
      day: '2026-01-02', realisedKrw: 2_500, feesKrw: 402, trades: 4, wins: 2, losses: 1, limitHitAt: null,
    });
  });

  test('a day without trades reads as zero', async () => {
    expect(await repo.get('2030-05-05')).toEqual({ day: '2030-05-05', realisedKrw: 0, feesKrw: 0, trades: 0, wins: 0, losses: 0, limitHitAt: null });
  });

  test('markLimitHit() is true once per day and keeps the first time', async () => {
    await repo.recordTrade({ closedAt: MIDNIGHT_KST, pnlKrw: -60_000, feesKrw: 100 });
    expect(await repo.markLimitHit('2026-01-02', 111)).toBe(true);
    expect(await repo.markLimitHit('2026-01-02', 222)).toBe(false);
    expect(await repo.markLimitHit('2026-01-03', 333)).toBe(true);
    expect((await repo.get('2026-01-02')).limitHitAt).toBe(111);
    expect(await repo.get('2026-01-03')).toMatchObject({ trades: 0, limitHitAt: 333 });
  });

  test('the booking can run in one batch with other writes', async () => {
    await h.db.batch([repo.recordTradeQuery({ closedAt: MIDNIGHT_KST, pnlKrw: 10, feesKrw: 1 }), repo.recordTradeQuery({ closedAt: MIDNIGHT_KST, pnlKrw: 20, feesKrw: 1 })]);
    expect(await repo.get('2026-01-02')).toMatchObject({ realisedKrw: 30, trades: 2 });
  });

  test('list() returns days oldest first within the range', async () => {
    for (const d of [3, 1, 2]) await repo.recordTrade({ closedAt: Date.UTC(2026, 0, d, 3), pnlKrw: d, feesKrw: 0 });
    expect((await repo.list()).map((r) => r.day)).toEqual(['2026-01-01', '2026-01-02', '2026-01-03']);
    expect((await repo.list({ from: '2026-01-02' })).map((r) => r.realisedKrw)).toEqual([2, 3]);
    expect((await repo.list({ from: '2026-01-01', to: '2026-01-01' })).map((r) => r.realisedKrw)).toEqual([1]);
  });
});
