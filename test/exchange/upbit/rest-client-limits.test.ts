import { afterEach, describe, expect, test } from 'bun:test';
import { RateLimited, Unavailable } from '../../../src/exchange/errors.ts';
import { MIN_BLOCK_MS } from '../../../src/exchange/upbit/error-map.ts';
import { json, makeClient, startStub } from './rest-stub.ts';
import { createVirtualTime } from './virtual-time.ts';

const stops: Array<() => void> = [];
afterEach(() => {
  while (stops.length) stops.pop()!();
});
function stub(handle: Parameters<typeof startStub>[0], now?: () => number) {
  const s = startStub(handle, now);
  stops.push(s.stop);
  return s;
}

describe('rest client: 429 and 418', () => {
  test('a plain-text 429 becomes RateLimited, is counted, and pauses the group', async () => {
    const s = stub(() => new Response('Too many API requests.', { status: 429 }));
    const { client, limiter } = makeClient(s.url, { retries: 0 });
    const err = await client.request('GET', '/v1/ticker', { query: { markets: 'KRW-BTC' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimited);
    expect((err as RateLimited).message).toContain('429: Too many API requests');
    expect(client.stats().ticker).toEqual({ requests: 1, tooManyRequests: 1, blocked: 0, failures: 1 });
    expect(limiter.currentBlock()?.group).toBe('ticker');
  });

  test('after a 429 a read waits out the pause and then succeeds', async () => {
    const vt = createVirtualTime();
    const s = stub((_r, n) => (n === 1 ? new Response('Too many API requests.', { status: 429 }) : json([{ ok: true }])), vt.now);
    const { client } = makeClient(s.url, { retries: 2, vt });
    expect(await client.request('GET', '/v1/ticker', { query: { markets: 'KRW-BTC' } })).toEqual([{ ok: true }]);
    expect(s.requests).toHaveLength(2);
    expect(s.requests[1]!.at - s.requests[0]!.at).toBeGreaterThanOrEqual(500); // 0.5 × 1000 ms full-jitter pause
    expect(vt.sleeps.length).toBeGreaterThan(0);
  });

  test('a 418 blocks the group for the stated time: later calls fail fast without reaching Upbit', async () => {
    const vt = createVirtualTime();
    const s = stub((_r, n) => (n === 1 ? json({ error: { message: 'Blocked for 5 seconds.' } }, 418, { 'Retry-After': '5' }) : json({ ok: true })), vt.now);
    const { client } = makeClient(s.url, { retries: 3, vt });
    const first = await client.request('GET', '/v1/accounts', { isPrivate: true }).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(RateLimited);
    expect((first as RateLimited).retryAfterMs).toBe(5000);
    expect(s.requests).toHaveLength(1); // 418 is not retried
    await expect(client.request('GET', '/v1/accounts', { isPrivate: true })).rejects.toBeInstanceOf(RateLimited);
    expect(s.requests).toHaveLength(1);
    expect(client.health()).toMatchObject({ isDegraded: true, retryAt: vt.now() + 5000 });
    expect(client.stats().default.blocked).toBe(1);
    vt.advance(5000);
    expect(await client.request('GET', '/v1/accounts', { isPrivate: true })).toEqual({ ok: true });
    expect(client.health().isDegraded).toBe(false);
  });

  test('by default a 418 blocks every group (the doc: the IP or pocket is blocked): none sends another request into the ban', async () => {
    const vt = createVirtualTime();
    const s = stub((_r, n) => (n === 1 ? json({ error: { message: 'Blocked for 5 seconds.' } }, 418, { 'Retry-After': '5' }) : json([])), vt.now);
    const { client } = makeClient(s.url, { retries: 3, vt });
    await expect(client.request('GET', '/v1/ticker', { query: { markets: 'KRW-BTC' } })).rejects.toBeInstanceOf(RateLimited);
    const others = [
      client.request('GET', '/v1/market/all'),
      client.request('GET', '/v1/candles/minutes/1', { query: { market: 'KRW-BTC' } }),
      client.request('GET', '/v1/accounts', { isPrivate: true }),
      client.submitOrder({ market: 'KRW-BTC', side: 'ask', ord_type: 'market', volume: '0.1', identifier: 'blocked-1' }),
    ];
    for (const p of others) {
      const err = await p.catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RateLimited);
      expect((err as RateLimited).retryAfterMs).toBe(5000);
    }
    expect(s.requests).toHaveLength(1);
    vt.advance(5000);
    expect(await client.request('GET', '/v1/market/all')).toEqual([]);
  });

  test('with blockScope "group" a 418 blocks only the group that received it', async () => {
    const vt = createVirtualTime();
    const s = stub((_r, n) => (n === 1 ? json({ error: { message: 'Blocked' } }, 418, { 'Retry-After': '5' }) : json([])), vt.now);
    const { client } = makeClient(s.url, { retries: 0, vt, limiter: { blockScope: 'group' } });
    await expect(client.request('GET', '/v1/ticker', { query: { markets: 'KRW-BTC' } })).rejects.toBeInstanceOf(RateLimited);
    await expect(client.request('GET', '/v1/ticker', { query: { markets: 'KRW-BTC' } })).rejects.toBeInstanceOf(RateLimited);
    expect(await client.request('GET', '/v1/market/all')).toEqual([]);
    expect(s.requests.map((r) => r.path)).toEqual(['/v1/ticker', '/v1/market/all']);
  });

  test('a 418 with Retry-After: 0 still blocks for MIN_BLOCK_MS, so a burst of reads does not run into the ban', async () => {
    const vt = createVirtualTime();
    const s = stub((_r, n) => (n === 1 ? json({ error: { message: 'Blocked' } }, 418, { 'Retry-After': '0' }) : json([])), vt.now);
    const { client } = makeClient(s.url, { retries: 0, vt });
    await expect(client.request('GET', '/v1/candles/minutes/1', { query: { market: 'KRW-A' } })).rejects.toBeInstanceOf(RateLimited);
    const burst = await Promise.allSettled(Array.from({ length: 5 }, () => client.request('GET', '/v1/candles/minutes/1', { query: { market: 'KRW-B' } })));
    expect(burst.every((r) => r.status === 'rejected' && r.reason instanceof RateLimited)).toBe(true);
    expect(s.requests).toHaveLength(1);
    vt.advance(MIN_BLOCK_MS);
    expect(await client.request('GET', '/v1/candles/minutes/1', { query: { market: 'KRW-B' } })).toEqual([]);
  });

  test('Remaining-Req sec=0 holds the next request of that group until the next second', async () => {
    const vt = createVirtualTime();
    const s = stub((_r, n) => json([], 200, { 'Remaining-Req': `group=candle; min=600; sec=${n === 1 ? 0 : 8}` }), vt.now);
    const { client } = makeClient(s.url, { vt });
    await client.request('GET', '/v1/candles/minutes/1', { query: { market: 'KRW-BTC' } });
    await client.request('GET', '/v1/candles/minutes/1', { query: { market: 'KRW-BTC' } });
    expect(s.requests[1]!.at - s.requests[0]!.at).toBeGreaterThanOrEqual(1000);
  });
});

describe('rest client: circuit breaker', () => {
  test('opens after consecutive failures, fails fast, then recovers through a probe', async () => {
    let isUp = false;
    const s = stub(() => (isUp ? json({ ok: true }) : new Response('', { status: 503 })));
    const { client, vt } = makeClient(s.url, { retries: 0, breaker: { failureThreshold: 2, coolDownMs: 10_000 } });
    for (let i = 0; i < 2; i++) await expect(client.request('GET', '/v1/market/all')).rejects.toBeInstanceOf(Unavailable);
    const fast = await client.request('GET', '/v1/market/all').catch((e: unknown) => e);
    expect(fast).toBeInstanceOf(Unavailable);
    expect((fast as Unavailable).code).toBe('circuit_open');
    expect(s.requests).toHaveLength(2);
    expect(client.health()).toMatchObject({ isDegraded: true, consecutiveFailures: 2 });
    vt.advance(10_000);
    isUp = true;
    expect(await client.request('GET', '/v1/market/all')).toEqual({ ok: true });
    expect(client.health()).toEqual({ isDegraded: false, reason: null, consecutiveFailures: 0, retryAt: null });
  });

  test('an order is not sent while the circuit is open, and that is a definite failure, not unknown', async () => {
    const s = stub(() => new Response('', { status: 503 }));
    const { client } = makeClient(s.url, { retries: 0, breaker: { failureThreshold: 1 } });
    await expect(client.request('GET', '/v1/accounts', { isPrivate: true })).rejects.toBeInstanceOf(Unavailable);
    await expect(client.submitOrder({ market: 'KRW-BTC', identifier: 'cb-2' })).rejects.toBeInstanceOf(Unavailable);
    expect(s.requests).toHaveLength(1);
  });
});

describe('rest client: concurrent burst', () => {
  test('500 concurrent ticker calls against a stub enforcing 10/s get zero 429s', async () => {
    const vt = createVirtualTime();
    const windows = new Map<number, number>();
    const s = stub(() => {
      const w = Math.floor(vt.now() / 1000);
      const used = (windows.get(w) ?? 0) + 1;
      windows.set(w, used);
      if (used > 10) return new Response('Too many API requests.', { status: 429 });
      return json([{ ok: true }], 200, { 'Remaining-Req': `group=ticker; min=600; sec=${10 - used}` });
    }, vt.now);
    const { client } = makeClient(s.url, { retries: 0, vt });
    const results = await Promise.allSettled(Array.from({ length: 500 }, () => client.request('GET', '/v1/ticker', { query: { markets: 'KRW-BTC' } })));
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(0);
    expect(client.stats().ticker).toEqual({ requests: 500, tooManyRequests: 0, blocked: 0, failures: 0 });
    // Also under the limit in every sliding second, not only in the stub's fixed windows.
    const times = s.requests.map((r) => r.at);
    let worst = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i]! - times[j]! >= 1000) j++;
      worst = Math.max(worst, i - j + 1);
    }
    expect(worst).toBeLessThanOrEqual(10);
  });
});
