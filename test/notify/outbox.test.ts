import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import type { DbHandle } from '../../src/db/client.ts';
import { createEventsRepo } from '../../src/db/repos/events.ts';
import { createOutboxRepo } from '../../src/db/repos/outbox.ts';
import { createLogger, silentLogger } from '../../src/log.ts';
import type { BotEvent } from '../../src/notify/events.ts';
import type { Notifier } from '../../src/notify/notifier.ts';
import { backoffMs, createOutbox, type OutboxOptions } from '../../src/notify/outbox.ts';
import { createRecordingNotifier } from '../fakes/recording-notifier.ts';
import { openTestDb, refuseWrites } from '../helpers/test-db.ts';

let h: DbHandle;
beforeEach(async () => {
  h = await openTestDb();
});
afterEach(() => h.close());

const clock = { t: 1_000, now() { return this.t; } };
const buy = (at: number, market = 'KRW-BTC'): BotEvent => ({ type: 'buy', mode: 'paper', at, market, price: 100, amountKrw: 10_000, volume: 100, reason: 'signal' });
const opts: Partial<OutboxOptions> = { maxAttempts: 3, baseDelayMs: 1_000, maxDelayMs: 10_000, leaseMs: 60_000, sendTimeoutMs: 20 };

function make(channels: Notifier[], logger = silentLogger) {
  return createOutbox({ db: h.db, outbox: createOutboxRepo(h.db), events: createEventsRepo(h.db), channels, locale: 'en', clock, logger, options: opts });
}

describe('outbox', () => {
  beforeEach(() => {
    clock.t = 1_000;
  });

  test('publish() only writes rows: one per channel plus an events line; no channel is called', async () => {
    const a = createRecordingNotifier({ name: 'a' });
    const b = createRecordingNotifier({ name: 'b' });
    await make([a, b]).publish(buy(1_000));
    expect(a.calls).toHaveLength(0);
    expect(b.calls).toHaveLength(0);
    expect(await createOutboxRepo(h.db).countByStatus()).toEqual({ pending: 2, sent: 0, failed: 0 });
    const events = await createEventsRepo(h.db).list({ limit: 10 });
    expect(events.items).toHaveLength(1);
    expect(events.items[0]).toMatchObject({ level: 'info', kind: 'buy', data: buy(1_000) });
    expect(events.items[0]!.message).toStartWith('[PAPER] 🟢 BUY KRW-BTC');
  });

  test('dispatchDue() delivers each row once with the channel\'s own format', async () => {
    const log = createRecordingNotifier({ name: 'log' });
    const tg = createRecordingNotifier({ name: 'tg', format: 'html' });
    const box = make([log, tg]);
    await box.publish({ type: 'stopped', mode: 'live', at: 1_000, reason: '<SIGTERM>' });
    expect(await box.dispatchDue()).toEqual({ sent: 2, retried: 0, failed: 0, deferred: 0, lost: 0 });
    expect(await box.dispatchDue()).toEqual({ sent: 0, retried: 0, failed: 0, deferred: 0, lost: 0 });
    expect(log.texts).toEqual(['[LIVE] ⏹ CoinButler stopped: <SIGTERM>']);
    expect(tg.texts).toEqual(['<b>[LIVE]</b> ⏹ CoinButler stopped: &lt;SIGTERM&gt;']);
  });

  test('a failing channel is retried with exponential backoff while the others are delivered', async () => {
    const ok = createRecordingNotifier({ name: 'ok' });
    const flaky = createRecordingNotifier({ name: 'flaky' });
    flaky.failNext(2);
    const box = make([ok, flaky]);
    await box.publish(buy(1_000));
    expect(await box.dispatchDue()).toMatchObject({ sent: 1, retried: 1 });
    const repo = createOutboxRepo(h.db);
    const [pending] = await repo.listDue(Number.MAX_SAFE_INTEGER, 10);
    expect(pending).toMatchObject({ channel: 'flaky', attempts: 1, nextAttemptAt: 1_000 + 1_000, lastError: 'Error: channel down' });
    clock.t = 1_999;
    expect(await box.dispatchDue()).toMatchObject({ sent: 0, retried: 0 });
    clock.t = 2_000;
    expect(await box.dispatchDue()).toMatchObject({ retried: 1 });
    expect((await repo.get(pending!.id))!.nextAttemptAt).toBe(2_000 + 2_000);
    clock.t = 4_000;
    expect(await box.dispatchDue()).toMatchObject({ sent: 1 });
    expect(flaky.events).toHaveLength(1);
    expect(ok.events).toHaveLength(1);
  });

  test('after maxAttempts the row is given up as failed and logged at error', async () => {
    const lines: string[] = [];
    const logger = createLogger({ main: { write: (l: string) => void lines.push(l) }, pretty: 'false' });
    const dead = createRecordingNotifier({ name: 'dead' });
    dead.failNext(99);
    const box = make([dead], logger);
    await box.publish(buy(1_000));
    for (let i = 0; i < 5; i += 1) {
      await box.dispatchDue();
      clock.t += 60_000;
    }
    expect(dead.calls).toHaveLength(3);
    expect(await createOutboxRepo(h.db).countByStatus()).toEqual({ pending: 0, sent: 0, failed: 1 });
    expect(lines.map((l) => JSON.parse(l)).filter((l) => l.level === 'error').map((l) => l.msg)).toEqual(['notification given up']);
  });

  test('a hanging channel times out and is retried later', async () => {
    const slow = createRecordingNotifier({ name: 'slow' });
    slow.hangNext(1);
    const box = make([slow]);
    await box.publish(buy(1_000));
    expect(await box.dispatchDue()).toMatchObject({ retried: 1 });
    clock.t += 1_000;
    expect(await box.dispatchDue()).toMatchObject({ sent: 1 });
  });

  test('after a failure the channel\'s later rows wait, so its messages stay in order', async () => {
    const ch = createRecordingNotifier({ name: 'ch' });
    const box = make([ch]);
    for (const m of ['KRW-A', 'KRW-B', 'KRW-C']) await box.publish(buy(1_000, m));
    ch.failNext(1);
    expect(await box.dispatchDue()).toMatchObject({ sent: 0, retried: 1, deferred: 2 });
    clock.t += 1_000;
    expect(await box.dispatchDue()).toMatchObject({ sent: 3 });
    expect(ch.events.map((e) => (e as { market: string }).market)).toEqual(['KRW-A', 'KRW-B', 'KRW-C']);
  });

  test('two dispatchers on one db never send a row twice', async () => {
    const a = createRecordingNotifier({ name: 'ch' });
    const b = createRecordingNotifier({ name: 'ch' });
    const boxA = make([a]);
    const boxB = make([b]);
    for (let i = 0; i < 20; i += 1) await boxA.publish(buy(1_000 + i, `KRW-${i}`));
    clock.t = 5_000;
    await Promise.all([boxA.dispatchDue(), boxB.dispatchDue(), boxA.dispatchDue()]);
    const markets = [...a.events, ...b.events].map((e) => (e as { market: string }).market);
    expect(markets).toHaveLength(20);
    expect(new Set(markets).size).toBe(20);
  });

  test('rows survive a restart: a new outbox on the same db delivers what the old one left', async () => {
    const before = createRecordingNotifier({ name: 'ch' });
    before.failNext(1);
    const first = make([before]);
    await first.publish(buy(1_000));
    await first.dispatchDue();
    const after = createRecordingNotifier({ name: 'ch' });
    clock.t = 10_000;
    expect(await make([after]).dispatchDue()).toMatchObject({ sent: 1 });
    expect(after.events).toHaveLength(1);
    expect(before.events).toHaveLength(0);
  });

  test('rows for a channel that is no longer configured are given up, not kept forever', async () => {
    await make([createRecordingNotifier({ name: 'telegram' })]).publish(buy(1_000));
    expect(await make([]).dispatchDue()).toMatchObject({ lost: 1 });
    expect(await createOutboxRepo(h.db).countByStatus()).toEqual({ pending: 0, sent: 0, failed: 1 });
  });

  test('publish() never throws, even when the database is gone', async () => {
    const box = make([createRecordingNotifier()]);
    h.close();
    await expect(box.publish(buy(1_000))).resolves.toBeUndefined();
    h = await openTestDb();
  });

  test('backoffMs() doubles per attempt and is capped', () => {
    const o = { baseDelayMs: 5_000, maxDelayMs: 60_000 };
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffMs(n, o))).toEqual([5_000, 10_000, 20_000, 40_000, 60_000, 60_000]);
  });
});

describe('outbox: the db refuses the rows (a full disk, a read-only card)', () => {
  beforeEach(() => {
    clock.t = 1_000;
  });
  const halted = (at: number): BotEvent => ({ type: 'halted', mode: 'live', at, code: 'repeated-errors', detail: 'candle-close: 3 errors' });

  test('the event goes to every channel directly, once per kind and market per window', async () => {
    const a = createRecordingNotifier({ name: 'a' });
    const b = createRecordingNotifier({ name: 'b', format: 'html' });
    const box = createOutbox({ db: h.db, outbox: createOutboxRepo(h.db), events: createEventsRepo(h.db), channels: [a, b], locale: 'en', clock, logger: silentLogger, options: { ...opts, directRepeatMs: 60_000 } });
    await refuseWrites(h, true);
    await box.publish(halted(1_000));
    expect(a.texts).toHaveLength(1);
    expect(a.texts[0]).toStartWith('[LIVE] 🛑 Bot HALTED\nCause: candle-close: 3 errors\nTo do: ');
    expect(b.texts[0]).toStartWith('<b>[LIVE]</b> 🛑 <b>Bot HALTED</b>');

    clock.t = 30_000;
    await box.publish(halted(30_000)); // same kind inside the window: not sent again
    await box.publish(buy(30_000, 'KRW-ETH'));
    await box.publish(buy(30_000, 'KRW-XRP')); // another market is another key
    await box.publish(buy(30_000, 'KRW-XRP'));
    expect(a.events.map((e) => [e.type, 'market' in e ? e.market : null])).toEqual([['halted', null], ['buy', 'KRW-ETH'], ['buy', 'KRW-XRP']]);

    clock.t = 61_001;
    await box.publish(halted(61_001)); // the window is over
    expect(a.events.filter((e) => e.type === 'halted')).toHaveLength(2);
    expect(await box.dispatchDue()).toEqual({ sent: 0, retried: 0, failed: 0, deferred: 0, lost: 0 }); // nothing was queued

    await refuseWrites(h, false);
    await box.publish(halted(62_000)); // the db works again: queued, not sent directly
    expect(a.events.filter((e) => e.type === 'halted')).toHaveLength(2);
    expect(await createOutboxRepo(h.db).countByStatus()).toEqual({ pending: 2, sent: 0, failed: 0 });
  });

  test('a channel that fails the direct send does not stop the others and nothing throws', async () => {
    const down = createRecordingNotifier({ name: 'down' });
    const up = createRecordingNotifier({ name: 'up' });
    down.failNext(1, new Error('telegram unreachable'));
    await refuseWrites(h, true);
    await make([down, up]).publish(halted(1_000));
    expect(down.events).toHaveLength(0);
    expect(up.events.map((e) => e.type)).toEqual(['halted']);
  });
});
