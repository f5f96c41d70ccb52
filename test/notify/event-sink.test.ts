import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import type { DbHandle } from '../../src/db/client.ts';
import { createEventsRepo, type NewEvent } from '../../src/db/repos/events.ts';
import { createLogger } from '../../src/log.ts';
import { createEventSink, parseLogLine } from '../../src/notify/event-sink.ts';
import { openTestDb } from '../helpers/test-db.ts';

let h: DbHandle;
beforeEach(async () => {
  h = await openTestDb();
});
afterEach(() => h.close());

describe('event sink', () => {
  test('warn and louder lines from a real logger reach the events table after flush(), not before', async () => {
    const repo = createEventsRepo(h.db);
    const sink = createEventSink({ append: (b) => repo.appendMany(b), now: () => 7 });
    const logger = createLogger({ main: null, streams: [sink.stream], level: 'debug' });
    logger.info('routine');
    logger.child({ job: 'reconcile' }).warn({ market: 'KRW-BTC' }, 'balance differs');
    logger.error({ err: new Error('boom') }, 'job failed');
    logger.fatal('dying');
    expect((await repo.list({ limit: 10 })).total).toBe(0);
    expect(sink.stats().queued).toBe(3);
    expect(await sink.flush()).toBe(3);
    const page = await repo.list({ limit: 10 });
    expect(page.items.map((e) => [e.level, e.kind, e.message]).reverse()).toEqual([
      ['warn', 'reconcile', 'balance differs'],
      ['error', 'log', 'job failed'],
      ['error', 'log', 'dying'],
    ]);
    const warn = page.items.find((e) => e.kind === 'reconcile')!;
    expect(warn.data).toMatchObject({ market: 'KRW-BTC', job: 'reconcile' });
    expect(warn.at).toBeGreaterThan(1_000_000_000_000);
    expect(sink.stats().queued).toBe(0);
  });

  test('write() returns before the database is touched and a failing insert keeps the lines for the next flush', async () => {
    const written: NewEvent[][] = [];
    let failing = true;
    const sink = createEventSink({
      append: async (b) => {
        if (failing) throw new Error('db busy');
        written.push(b);
      },
      now: () => 1,
    });
    sink.stream.write(JSON.stringify({ level: 40, time: 5, msg: 'a' }));
    sink.stream.write(JSON.stringify({ level: 50, time: 6, msg: 'b' }));
    expect(written).toEqual([]);
    expect(await sink.flush()).toBe(0);
    expect(sink.stats()).toMatchObject({ queued: 2, failures: 1, lastError: 'db busy' });
    failing = false;
    expect(await sink.flush()).toBe(2);
    expect(written[0]!.map((e) => e.message)).toEqual(['a', 'b']);
  });

  test('the queue is bounded: the oldest lines are dropped and counted', async () => {
    const sink = createEventSink({ append: async () => {}, now: () => 1, maxQueue: 3, batchSize: 100 });
    for (let i = 0; i < 5; i += 1) sink.stream.write(JSON.stringify({ level: 'warn', msg: `m${i}` }));
    expect(sink.stats()).toMatchObject({ queued: 3, dropped: 2 });
  });

  test('a full batch starts a flush by itself', async () => {
    const batches: number[] = [];
    const sink = createEventSink({ append: async (b) => void batches.push(b.length), now: () => 1, batchSize: 2 });
    sink.stream.write(JSON.stringify({ level: 'error', msg: 'x' }));
    sink.stream.write(JSON.stringify({ level: 'error', msg: 'y' }));
    await sink.flush();
    expect(batches).toEqual([2]);
  });

  test('parseLogLine() ignores quiet lines and non-JSON, and reads label or numeric levels', () => {
    expect(parseLogLine('not json', 40, 1)).toBeNull();
    expect(parseLogLine(JSON.stringify({ level: 'info', msg: 'x' }), 40, 1)).toBeNull();
    expect(parseLogLine(JSON.stringify({ level: 60, msg: 'x', time: '2026-01-01T00:00:00.000Z' }), 40, 1)).toEqual({
      at: Date.UTC(2026, 0, 1),
      level: 'error',
      kind: 'log',
      message: 'x',
    });
    expect(parseLogLine(JSON.stringify({ level: 'warn', event: 'feed-down' }), 40, 9)).toMatchObject({ at: 9, kind: 'feed-down', message: '' });
  });
});
