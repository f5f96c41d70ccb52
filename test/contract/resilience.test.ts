// Contract: the client stays inside Upbit's limits and survives the simulator's faults — a 500-request burst
// with zero 429s, a 429 storm, an order whose response is lost, and a 5xx rate (reads retried, orders never re-posted).
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { startContractSim, type ContractSim } from './contract-harness.ts';

let c: ContractSim;
beforeAll(async () => {
  c = await startContractSim({ sim: { krw: 1_000_000 } });
});
afterAll(() => c.stop());

const delta = (after: Record<string, number>, before: Record<string, number>) =>
  Object.fromEntries(Object.keys(after).map((k) => [k, after[k]! - (before[k] ?? 0)]).filter(([, v]) => v !== 0));

describe('rate limits and faults: client ↔ simulator', () => {
  test('a burst of 500 concurrent calls over five groups completes with zero 429s at the simulator', async () => {
    const x = c.stack.exchange;
    const before = await c.state();
    const t0 = c.vt.now();
    const calls: Array<Promise<unknown>> = [];
    for (let i = 0; i < 100; i++) {
      calls.push(x.fetchTickers(['KRW-BTC']), x.fetchCandles({ market: 'KRW-ETH', unit: 1, count: 1 }), x.fetchOrderbooks(['KRW-XRP']));
      calls.push(x.fetchBalances(), i % 2 === 0 ? x.fetchOrderChance('KRW-BTC') : x.fetchOpenOrders());
    }
    const settled = await Promise.allSettled(calls);
    expect(settled.filter((s) => s.status === 'rejected')).toEqual([]);
    const after = await c.state();
    expect(after.rateLimited).toEqual({ '429': 0, '418': 0 });
    expect(delta(after.requests, before.requests)).toEqual({ ticker: 100, candle: 100, orderbook: 100, default: 200 });
    expect(Object.values(x.stats()).reduce((s, g) => s + g.tooManyRequests, 0)).toBe(0);
    // 100 ticker calls at ≤ 10/s cannot fit in under ten (virtual) seconds: the client paced them.
    expect(c.vt.now() - t0).toBeGreaterThanOrEqual(10_000);
  });

  test('a 429 storm is waited out with growing pauses, and the read then succeeds without a 418', async () => {
    const sentAt: number[] = [];
    const recording = (input: string, init: RequestInit) => (sentAt.push(c.vt.now()), c.fetch(input, init));
    const stack = c.makeStack({ retries: 4, fetch: recording });
    await c.faults({ storm429: 2.5 });
    const t0 = c.vt.now();
    const tickers = await stack.exchange.fetchTickers(['KRW-BTC']);
    expect(tickers.map((t) => t.market)).toEqual(['KRW-BTC']);
    const { ticker } = stack.exchange.stats();
    expect(ticker.tooManyRequests).toBeGreaterThanOrEqual(2);
    expect(ticker.requests).toBe(ticker.tooManyRequests + 1);
    expect(c.vt.now() - t0).toBeGreaterThanOrEqual(2_500);
    const gaps = sentAt.slice(1).map((t, i) => t - sentAt[i]!);
    expect(gaps[0]).toBeGreaterThanOrEqual(1_000);
    expect(gaps[1]).toBeGreaterThan(gaps[0]!); // the pause after the second 429 is longer
    expect((await c.state()).rateLimited['418']).toBe(0);
    expect(stack.exchange.health().isDegraded).toBe(false);
  });

  test('an order executed but its response dropped comes back unknown, is found by identifier, and exists once', async () => {
    await c.faults({ dropOrderResponse: 1 });
    const before = c.stack.exchange.stats().order.requests;
    const result = await c.stack.exchange.placeOrder({ market: 'KRW-XRP', side: 'buy', kind: 'market', amountKrw: 6_000, identifier: 'lost-1' });
    expect(result).toMatchObject({ status: 'unknown', identifier: 'lost-1' });
    expect(c.stack.exchange.stats().order.requests - before).toBe(1); // never re-posted
    const found = await c.stack.exchange.findOrderByIdentifier('lost-1');
    expect(found).toMatchObject({ identifier: 'lost-1', kind: 'market', state: 'cancelled' });
    expect(found!.fills.length).toBeGreaterThan(0);
    expect((await c.state()).orders.filter((o) => o.identifier === 'lost-1')).toHaveLength(1);
  });

  test('under a 5xx rate reads succeed through retries while orders come back unknown and are never duplicated', async () => {
    const stack = c.makeStack({ retries: 8, failureThreshold: 1_000 });
    await c.faults({ errorRate5xx: 0.4 });
    try {
      for (let i = 0; i < 10; i++) {
        expect((await stack.exchange.fetchBalances()).some((b) => b.currency === 'KRW')).toBe(true);
        expect(await stack.exchange.fetchTickers(['KRW-ETH'])).toHaveLength(1);
      }
      expect(stack.exchange.stats().default.failures + stack.exchange.stats().ticker.failures).toBeGreaterThan(0);
      const ids = Array.from({ length: 8 }, (_, i) => `flaky-${i}`);
      const outcomes: string[] = [];
      for (const identifier of ids) {
        const r = await stack.exchange.placeOrder({ market: 'KRW-XRP', side: 'buy', kind: 'market', amountKrw: 5_000, identifier });
        // A 500 from the simulator means the order was not executed: resolving proves it absent.
        outcomes.push(r.status === 'accepted' ? 'accepted' : (await stack.exchange.findOrderByIdentifier(identifier)) === null ? 'absent' : 'found');
      }
      expect(outcomes).toContain('absent');
      expect(outcomes).toContain('accepted');
      expect(outcomes).not.toContain('found');
      expect(stack.exchange.stats().order.requests).toBe(ids.length);
      const simIds = (await c.state()).orders.map((o) => o.identifier).filter((id) => id?.startsWith('flaky-'));
      expect(simIds.sort()).toEqual(ids.filter((_, i) => outcomes[i] === 'accepted').sort());
    } finally {
      await c.faults({ errorRate5xx: 0 });
    }
  });
});
