import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import type { DbHandle } from '../../src/db/client.ts';
import { createDailyPnlRepo } from '../../src/db/repos/daily-pnl.ts';
import { createEventsRepo } from '../../src/db/repos/events.ts';
import { createOutboxRepo } from '../../src/db/repos/outbox.ts';
import { createDailyReset, createPrune } from '../../src/jobs/bodies.ts';
import type { BotEvent } from '../../src/notify/events.ts';
import { openTestDb } from '../helpers/test-db.ts';

let h: DbHandle;
beforeEach(async () => {
  h = await openTestDb();
});
afterEach(() => h.close());

const MIDNIGHT_KST = Date.UTC(2026, 0, 1, 15); // 2026-01-02 00:00 KST
const DAY = 86_400_000;

describe('daily reset', () => {
  test('summarises the day that just ended and announces the limit reset when it was hit', async () => {
    const book = createDailyPnlRepo(h.db);
    await book.recordTrade({ closedAt: MIDNIGHT_KST - 1_000, pnlKrw: -60_000, feesKrw: 100 });
    await book.recordTrade({ closedAt: MIDNIGHT_KST - 500, pnlKrw: 5_000, feesKrw: 100 });
    await book.markLimitHit('2026-01-01', MIDNIGHT_KST - 900);
    const published: BotEvent[] = [];
    const run = createDailyReset({
      clock: { now: () => MIDNIGHT_KST + 40 }, mode: 'paper', dailyPnl: book,
      publisher: { publish: async (e) => void published.push(e) }, equityKrw: async () => 945_000,
    });
    expect(await run()).toEqual({ day: '2026-01-01', trades: 2, wasLimitHit: true });
    expect(published).toEqual([
      { type: 'daily-summary', mode: 'paper', at: MIDNIGHT_KST + 40, day: '2026-01-01', trades: 2, wins: 1, losses: 1, pnlKrw: -55_000, equityKrw: 945_000 },
      { type: 'daily-limit-reset', mode: 'paper', at: MIDNIGHT_KST + 40, day: '2026-01-02' },
    ]);
  });

  test('a quiet day still gets a summary and no reset note', async () => {
    const published: BotEvent[] = [];
    await createDailyReset({
      clock: { now: () => MIDNIGHT_KST }, mode: 'live', dailyPnl: createDailyPnlRepo(h.db),
      publisher: { publish: async (e) => void published.push(e) }, equityKrw: async () => 1_000_000,
    })();
    expect(published.map((e) => e.type)).toEqual(['daily-summary']);
    expect(published[0]).toMatchObject({ day: '2026-01-01', trades: 0, pnlKrw: 0 });
  });
});

describe('prune', () => {
  test('removes old events and old delivered notifications, keeping recent and pending ones', async () => {
    const now = 100 * DAY;
    const events = createEventsRepo(h.db);
    const outbox = createOutboxRepo(h.db);
    await events.appendMany([now - 31 * DAY, now - 29 * DAY].map((at) => ({ at, level: 'info' as const, kind: 'k', message: 'm' })));
    await outbox.enqueue([
      { channel: 'a', eventType: 'buy', payloadJson: '{}', createdAt: now - 8 * DAY },
      { channel: 'b', eventType: 'buy', payloadJson: '{}', createdAt: now - 8 * DAY },
    ]);
    const [a] = await outbox.listDue(now, 1);
    await outbox.markSent(a!.id, now - 8 * DAY);
    expect(await createPrune({ clock: { now: () => now }, events, outbox })()).toEqual({ events: 1, outbox: 1 });
    expect(await outbox.countByStatus()).toEqual({ pending: 1, sent: 0, failed: 0 });
  });
});
