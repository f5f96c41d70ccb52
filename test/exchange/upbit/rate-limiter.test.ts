import { describe, expect, test } from 'bun:test';
import { RATE_LIMITS, groupFor } from '../../../src/exchange/upbit/endpoints.ts';
import { createRateLimiter, parseRemainingReq } from '../../../src/exchange/upbit/rate-limiter.ts';
import { RateLimited } from '../../../src/exchange/errors.ts';
import { createVirtualTime } from './virtual-time.ts';

/** Max requests in any window of windowMs (sliding) among sorted times. */
function maxInWindow(times: number[], windowMs: number): number {
  let best = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe('endpoint table', () => {
  test('maps every documented endpoint to its group and limit', () => {
    expect(groupFor('GET', '/v1/market/all')).toBe('market');
    expect(groupFor('GET', '/v1/candles/minutes/5')).toBe('candle');
    expect(groupFor('GET', '/v1/candles/seconds')).toBe('candle');
    expect(groupFor('GET', '/v1/trades/ticks')).toBe('trade');
    expect(groupFor('GET', '/v1/ticker/all')).toBe('ticker');
    expect(groupFor('GET', '/v1/orderbook/instruments')).toBe('orderbook');
    expect(groupFor('GET', '/v1/accounts')).toBe('default');
    expect(groupFor('DELETE', '/v1/order')).toBe('default');
    expect(groupFor('POST', '/v1/orders')).toBe('order');
    expect(groupFor('POST', '/v1/orders/cancel_and_new')).toBe('order');
    expect(groupFor('POST', '/v1/orders/test')).toBe('order-test');
    expect(groupFor('DELETE', '/v1/orders/open')).toBe('order-cancel-all');
    expect(groupFor('GET', '/v1/orders/open')).toBe('default');
    expect(RATE_LIMITS.order).toEqual({ requests: 12, windowMs: 1000 });
    expect(RATE_LIMITS['order-test'].requests).toBe(8);
    expect(RATE_LIMITS.default.requests).toBe(30);
    expect(RATE_LIMITS.ticker.requests).toBe(10);
    expect(RATE_LIMITS['order-cancel-all']).toEqual({ requests: 1, windowMs: 2000 });
  });
});

describe('parseRemainingReq', () => {
  test('reads group names with dashes and the per-second count; ignores min', () => {
    expect(parseRemainingReq('group=default; min=1800; sec=29')).toEqual({ group: 'default', sec: 29 });
    expect(parseRemainingReq('group=order-cancel-all; min=30; sec=0')).toEqual({ group: 'order-cancel-all', sec: 0 });
    expect(parseRemainingReq('group=order-test;sec=7')).toEqual({ group: 'order-test', sec: 7 });
  });
  test('rejects garbage instead of guessing', () => {
    expect(parseRemainingReq(null)).toBeNull();
    expect(parseRemainingReq('group=ticker; sec=abc')).toBeNull();
    expect(parseRemainingReq('sec=3')).toBeNull();
  });
});

describe('createRateLimiter', () => {
  test('never lets more than limit × (1 − margin) through in any window, however many callers push', async () => {
    const vt = createVirtualTime();
    const limiter = createRateLimiter({ now: vt.now, sleep: vt.sleep });
    const granted: number[] = [];
    await Promise.all(Array.from({ length: 100 }, () => limiter.acquire('ticker').then(() => granted.push(vt.now()))));
    expect(granted).toHaveLength(100);
    expect(limiter.capacity('ticker')).toBe(9);
    expect(maxInWindow(granted, 1000)).toBe(9);
  });

  test('serves waiters first in, first out', async () => {
    const vt = createVirtualTime();
    const limiter = createRateLimiter({ now: vt.now, sleep: vt.sleep, limits: { order: { requests: 2, windowMs: 1000 } }, safetyMargin: 0 });
    const order: number[] = [];
    await Promise.all(Array.from({ length: 7 }, (_, i) => limiter.acquire('order').then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  test('order-cancel-all allows one call per two seconds', async () => {
    const vt = createVirtualTime();
    const limiter = createRateLimiter({ now: vt.now, sleep: vt.sleep });
    const granted: number[] = [];
    await Promise.all([0, 1, 2].map(() => limiter.acquire('order-cancel-all').then(() => granted.push(vt.now()))));
    expect(granted[1]! - granted[0]!).toBeGreaterThanOrEqual(2000);
    expect(granted[2]! - granted[1]!).toBeGreaterThanOrEqual(2000);
  });

  test('Remaining-Req sec=0 makes the next acquire wait for the next second', async () => {
    const vt = createVirtualTime();
    const limiter = createRateLimiter({ now: vt.now, sleep: vt.sleep });
    await limiter.acquire('candle');
    const t0 = vt.now();
    limiter.observe('group=candle; min=600; sec=0');
    await limiter.acquire('candle');
    expect(vt.now() - t0).toBeGreaterThanOrEqual(1000);
  });

  test('Remaining-Req lowers the local budget when the server counted more than we sent', async () => {
    const vt = createVirtualTime();
    const limiter = createRateLimiter({ now: vt.now, sleep: vt.sleep, safetyMargin: 0 });
    await limiter.acquire('default');
    limiter.observe('group=default; min=1800; sec=2'); // 28 used on the server (other processes)
    const granted: number[] = [];
    await Promise.all([0, 1, 2].map(() => limiter.acquire('default').then(() => granted.push(vt.now()))));
    // 30 − 2 = 28 counted: two more fit in this window, the third waits for the next one.
    expect(granted[0]).toBe(granted[1]!);
    expect(granted[2]! - granted[0]!).toBeGreaterThanOrEqual(1000);
    const fresh = createRateLimiter({ now: vt.now, sleep: vt.sleep, safetyMargin: 0 });
    fresh.observe('group=default; min=1800; sec=29');
    const t0 = vt.now();
    await Promise.all(Array.from({ length: 29 }, () => fresh.acquire('default')));
    expect(vt.now()).toBe(t0);
  });

  test('a 429 pauses the group with exponentially growing full-jitter back-off', () => {
    const vt = createVirtualTime();
    const limiter = createRateLimiter({ now: vt.now, sleep: vt.sleep, random: () => 1, backoffBaseMs: 1000, backoffMaxMs: 30_000 });
    expect(limiter.onTooManyRequests('ticker')).toBe(1000);
    expect(limiter.onTooManyRequests('ticker')).toBe(2000);
    expect(limiter.onTooManyRequests('ticker')).toBe(4000);
    expect(limiter.currentBlock()?.group).toBe('ticker');
    limiter.onAnswered('ticker');
    expect(limiter.onTooManyRequests('ticker')).toBe(1000);
    const jittered = createRateLimiter({ now: vt.now, sleep: vt.sleep, random: () => 0.25 });
    expect(jittered.onTooManyRequests('ticker')).toBe(250);
  });

  test('with blockScope group a 418 blocks only that group, fails fast while blocked, and lifts after the stated time', async () => {
    const vt = createVirtualTime();
    const limiter = createRateLimiter({ now: vt.now, sleep: vt.sleep, blockScope: 'group' });
    limiter.onBlocked('order', 5000);
    const err = await limiter.acquire('order').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimited);
    expect((err as RateLimited).retryAfterMs).toBe(5000);
    await limiter.acquire('ticker');
    expect(limiter.currentBlock()).toMatchObject({ group: 'order', until: vt.now() + 5000 });
    vt.advance(5000);
    await limiter.acquire('order');
    expect(limiter.currentBlock()).toBeNull();
  });

  test('by default a 418 blocks every group until the stated time, naming the group that got it', async () => {
    const vt = createVirtualTime();
    const limiter = createRateLimiter({ now: vt.now, sleep: vt.sleep });
    limiter.onBlocked('ticker', 5000);
    for (const g of ['ticker', 'order', 'default', 'candle'] as const) {
      const err = await limiter.acquire(g).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RateLimited);
      expect((err as RateLimited).retryAfterMs).toBe(5000);
      expect((err as RateLimited).message).toContain('Not sent to Upbit');
    }
    expect(limiter.currentBlock()?.reason).toContain('rate group ticker');
    limiter.onBlocked('order', 1000); // a shorter block later never shortens the one in force
    vt.advance(4999);
    await expect(limiter.acquire('order')).rejects.toBeInstanceOf(RateLimited);
    vt.advance(1);
    await limiter.acquire('order');
    expect(limiter.currentBlock()).toBeNull();
  });
});
