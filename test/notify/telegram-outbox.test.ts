import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import type { DbHandle } from '../../src/db/client.ts';
import { createOutboxRepo } from '../../src/db/repos/outbox.ts';
import { silentLogger } from '../../src/log.ts';
import type { BotEvent } from '../../src/notify/events.ts';
import { createOutbox, type OutboxOptions } from '../../src/notify/outbox.ts';
import { createTelegramBot, createTelegramChannel } from '../../src/notify/telegram.ts';
import { createFakeTelegram, FAKE_BOT_INFO, type FakeTelegram } from '../fakes/fake-telegram.ts';
import { openTestDb } from '../helpers/test-db.ts';

let h: DbHandle;
let tg: FakeTelegram;
beforeEach(async () => {
  h = await openTestDb();
  tg = createFakeTelegram();
  clock.t = 10_000;
});
afterEach(async () => {
  h.close();
  await tg.close();
});

const clock = { t: 10_000, now() { return this.t; } };
const opts: Partial<OutboxOptions> = { maxAttempts: 10, baseDelayMs: 1_000, maxDelayMs: 60_000, leaseMs: 60_000, sendTimeoutMs: 2_000 };

/** A fresh process: its own grammY bot and outbox dispatcher, on the shared db. */
function boot(extra: Partial<OutboxOptions> = {}) {
  const bot = createTelegramBot({ token: tg.token, apiRoot: tg.apiRoot, botInfo: FAKE_BOT_INFO });
  const channel = createTelegramChannel({ api: bot.api, chatId: 777, logger: silentLogger });
  return createOutbox({ db: h.db, outbox: createOutboxRepo(h.db), channels: [channel], locale: 'en', clock, logger: silentLogger, options: { ...opts, ...extra } });
}

const events: BotEvent[] = [
  { type: 'buy', mode: 'live', at: 9_000, market: 'KRW-BTC', price: 143_000_000, amountKrw: 100_000, volume: 0.0007, reason: 'signal' },
  { type: 'sell', mode: 'live', at: 9_001, market: 'KRW-BTC', price: 144_000_000, volume: 0.0007, pnlKrw: 600, pnlRate: 0.006, reason: 'trailing-stop' },
  { type: 'stopped', mode: 'live', at: 9_002, reason: 'SIGTERM' },
];

/** Dispatches at increasing times until nothing is pending (or gives up after `rounds`). */
async function drain(box: ReturnType<typeof boot>, rounds = 20) {
  for (let i = 0; i < rounds; i += 1) {
    await box.dispatchDue();
    const counts = await createOutboxRepo(h.db).countByStatus();
    if (counts.pending === 0) return counts;
    clock.t += 60_000;
  }
  return createOutboxRepo(h.db).countByStatus();
}

describe('outbox → Telegram', () => {
  test('a Telegram outage (500s) delays messages; after recovery each is delivered exactly once, in order', async () => {
    const box = boot();
    for (const e of events) await box.publish(e);
    tg.failNext('sendMessage', { status: 500, description: 'Internal Server Error' }, 4);
    expect(await box.dispatchDue()).toMatchObject({ sent: 0, retried: 1, deferred: 2 });
    expect(await drain(box)).toEqual({ pending: 0, sent: 3, failed: 0 });
    expect(tg.requests.filter((r) => r.method === 'sendMessage')).toHaveLength(4 + 3);
    const texts = tg.sent.map((s) => String(s.text));
    expect(texts).toHaveLength(3);
    expect(texts[0]).toContain('BUY KRW-BTC');
    expect(texts[1]).toContain('SELL KRW-BTC');
    expect(texts[2]).toContain('stopped: SIGTERM');
  });

  test('after a restart (new dispatcher on the same db) nothing is sent twice and what was left is sent', async () => {
    const first = boot({ batchSize: 1 });
    for (const e of events) await first.publish(e);
    expect(await first.dispatchDue()).toMatchObject({ sent: 1 });
    tg.failNext('sendMessage', { status: 502, description: 'Bad Gateway' });
    expect(await first.dispatchDue()).toMatchObject({ retried: 1 });
    expect(tg.sent).toHaveLength(1);
    // The first process dies here; a new one starts on the same database.
    const second = boot();
    clock.t += 60_000;
    expect(await second.dispatchDue()).toMatchObject({ sent: 2, retried: 0 });
    expect(await second.dispatchDue()).toMatchObject({ sent: 0 });
    const third = boot();
    expect(await third.dispatchDue()).toMatchObject({ sent: 0 });
    const texts = tg.sent.map((s) => String(s.text));
    expect(texts).toHaveLength(3);
    expect(texts[0]).toContain('BUY KRW-BTC');
    expect(texts[1]).toContain('SELL KRW-BTC');
    expect(texts[2]).toContain('stopped: SIGTERM');
    expect(await createOutboxRepo(h.db).countByStatus()).toEqual({ pending: 0, sent: 3, failed: 0 });
  });

  test('a 429 with retry_after holds the next attempt back for at least that long', async () => {
    const box = boot();
    await box.publish(events[0]!);
    tg.failNext('sendMessage', { status: 429, description: 'Too Many Requests: retry after 30', retryAfter: 30 });
    expect(await box.dispatchDue()).toMatchObject({ retried: 1 });
    const [row] = await createOutboxRepo(h.db).listDue(Number.MAX_SAFE_INTEGER, 1);
    expect(row!.nextAttemptAt).toBe(10_000 + 30_000);
    expect(row!.lastError).toContain('429');
    clock.t = 10_000 + 29_999;
    expect(await box.dispatchDue()).toMatchObject({ sent: 0, retried: 0 });
    clock.t = 10_000 + 30_000;
    expect(await box.dispatchDue()).toMatchObject({ sent: 1 });
    expect(tg.sent).toHaveLength(1);
  });
});
