// The pollers' shared reads: in-flight sharing, lifetime by the injected clock, failures never kept; wired into status().
import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { createMemo } from '../../src/bot/queries-memo.ts';
import { createBotQueries } from '../../src/bot/queries.ts';
import type { DbHandle } from '../../src/db/client.ts';
import { openTestDb } from '../helpers/test-db.ts';
import { makeDeps, seedOpen, seedTrade } from './queries-seed.ts';

const clockAt = (t: number) => ({ t, now() { return this.t; } });

describe('createMemo', () => {
  test('concurrent callers share one run; the result lives ttlMs by the clock', async () => {
    const clock = clockAt(1_000);
    const memo = createMemo(clock, 500);
    let runs = 0;
    const read = () => memo.get('k', async () => ++runs);
    expect(await Promise.all([read(), read(), read()])).toEqual([1, 1, 1]);
    clock.t += 499;
    expect(await read()).toBe(1);
    clock.t += 1;
    expect(await read()).toBe(2);
    expect(await memo.get('other', async () => 'x')).toBe('x');
    clock.t -= 10_000; // a clock stepped back never serves a result "from the future"
    expect(await read()).toBe(3);
  });

  test('ttl 0 shares only a read in flight; a failed read is not kept', async () => {
    const clock = clockAt(0);
    const memo = createMemo(clock, 0);
    let runs = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = () => memo.get('k', async () => (await gate, ++runs));
    const both = Promise.all([slow(), slow()]);
    release();
    expect(await both).toEqual([1, 1]);
    expect(await slow()).toBe(2);

    const failing = createMemo(clock, 60_000);
    let attempts = 0;
    const flaky = () => failing.get('k', async () => {
      if (++attempts === 1) throw new Error('db busy');
      return attempts;
    });
    await expect(flaky()).rejects.toThrow('db busy');
    expect(await flaky()).toBe(2);
  });

  test('a full memo drops its stale entries, else starts over: it stays bounded', async () => {
    const clock = clockAt(0);
    const memo = createMemo(clock, 100, 4);
    for (let i = 0; i < 10; i++) await memo.get(`k${i}`, async () => i);
    // The first keys are gone: reading one runs again.
    expect(await memo.get('k0', async () => 'again')).toBe('again');
  });
});

describe('the read models share reads', () => {
  let h: DbHandle;
  beforeEach(async () => (h = await openTestDb()));
  afterEach(() => h.close());

  test('a trade closed meanwhile shows once the cache lifetime has passed; the balance is shared too, prices are not', async () => {
    const now = Date.UTC(2025, 5, 10, 3, 0);
    await seedTrade(h.db, { market: 'KRW-BTC', closedAt: now - 60_000, pnlKrw: 1_000 });
    const { deps, clock, balance, prices } = makeDeps(h.db, now);
    const sol = await seedOpen(h.db, { market: 'KRW-SOL', volume: 1, entryPrice: 1_000, openedAt: now });
    const q = createBotQueries({ ...deps, cacheMs: 1_000 });
    expect(await q.status()).toMatchObject({ todayPnl: 1_000, tradeCount: 1, krw: 510_000, equity: 511_000 });
    await seedTrade(h.db, { market: 'KRW-ETH', closedAt: now - 30_000, pnlKrw: -400 });
    balance.value = 7;
    prices.set('KRW-SOL', 1_100);
    clock.t += 999;
    expect(await q.status()).toMatchObject({ todayPnl: 1_000, tradeCount: 1, krw: 510_000, equity: 511_100 });
    expect((await q.positions())[0]).toMatchObject({ id: sol.id, currentPrice: 1_100 });
    expect((await q.trades({ limit: 10, offset: 0 })).total).toBe(2); // another question: read now
    clock.t += 1;
    expect(await q.status()).toMatchObject({ todayPnl: 600, tradeCount: 2, krw: 7, equity: 7 + 1_100 });
  });
});
