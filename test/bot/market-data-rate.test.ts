// Steady state with 125 markets and the socket up: REST requests per minute counted on both sides and kept well under 60.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createMarketData, type MarketData } from '../../src/bot/market-data.ts';
import { FIVE_MIN, START, startMarketSim, type MarketSim } from './market-data-harness.ts';

let h: MarketSim;
let md: MarketData;
let closes = 0;

beforeAll(async () => {
  // 124 synthetic + 5 recorded markets, 4 of them flagged: a universe of exactly 125.
  h = await startMarketSim({ syntheticCount: 124 });
  md = createMarketData({
    exchange: h.exchange, stream: h.stream, clock: h.clock,
    settings: { maxMarkets: null, universeRefreshMs: 0, pollIntervalMs: 20 },
    onClosedCandle: () => void closes++,
    onPrice: () => {},
  });
  md.start();
  await md.ready();
  await h.settle();
});
afterAll(async () => {
  await md.stop();
  await h.stop();
});

const quotationRequests = async () => {
  const r = await h.simRequests();
  return (r.candle ?? 0) + (r.ticker ?? 0) + (r.market ?? 0);
};

describe('market data steady state', () => {
  test('ten simulated minutes with 125 markets: two full closes, one universe refresh, REST well under 60 per minute', async () => {
    expect(md.universe()).toHaveLength(125);
    const calls0 = md.stats().restCalls;
    const sim0 = await quotationRequests();
    const first = Math.floor(START / FIVE_MIN) * FIVE_MIN + FIVE_MIN;
    let evaluated = 0;
    for (const boundary of [first, first + FIVE_MIN]) {
      await h.advanceTo(boundary + 2_000);
      const report = await md.closeUpTo(md.dueBoundary(h.clock.now()));
      expect(report.ends).toEqual([boundary]);
      evaluated += report.marketsEvaluated;
    }
    await md.refreshUniverse();
    await h.advanceTo(START + 10 * 60_000);
    const minutes = 10;
    const perMinute = (md.stats().restCalls - calls0) / minutes;
    const simPerMinute = ((await quotationRequests()) - sim0) / minutes;
    expect(evaluated).toBe(250);
    expect(closes).toBeGreaterThan(200);
    expect(perMinute).toBeLessThan(60);
    expect(simPerMinute).toBeLessThan(60);
    // What it actually is: the refresh (2 calls) plus a few stale-candle repairs.
    expect(simPerMinute).toBeLessThan(3);
    expect(md.stats().restCallsPerMinute).toBeLessThan(60);
    expect(md.stats().fallbackPolls).toBe(0);
  });
});
