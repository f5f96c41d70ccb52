// Market data against the real simulator over 127.0.0.1: universe, REST history, socket closes equal to the simulator's candles.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { Candle } from '../../src/core/types.ts';
import { createMarketData, type MarketData } from '../../src/bot/market-data.ts';
import { FIVE_MIN, START, startMarketSim, type MarketSim } from './market-data-harness.ts';

let h: MarketSim;
let md: MarketData;
const history = new Map<string, { candles: Candle[]; prevDayClose: number | null }>();
const closed: { market: string; candle: Candle }[] = [];
const prices: { market: string; price: number; time: number }[] = [];

beforeAll(async () => {
  h = await startMarketSim();
  md = createMarketData({
    exchange: h.exchange, stream: h.stream, clock: h.clock,
    settings: { maxMarkets: null, universeRefreshMs: 0, pollIntervalMs: 50 },
    onClosedCandle: (market, candle) => closed.push({ market, candle }),
    onPrice: (market, price, time) => prices.push({ market, price, time }),
    onHistory: (market, candles, prevDayClose) => history.set(market, { candles, prevDayClose }),
  });
  md.start();
  await md.ready();
});
afterAll(async () => {
  await md.stop();
  await h.stop();
});

// The simulator prints REST volumes with 8 decimals and socket volumes as raw sums: compare at Upbit's precision.
const roundVolume = (c: Candle): Candle => ({ ...c, volume: Math.round(c.volume * 1e8) / 1e8, turnoverKrw: Math.round(c.turnoverKrw * 1e4) / 1e4 });
const rounded = (x: { market: string; candle: Candle }) => ({ market: x.market, candle: roundVolume(x.candle) });
const FLAGGED = ['KRW-SYN022', 'KRW-SYN075', 'KRW-SYN104', 'KRW-SYN110'];

describe('market data against the simulator', () => {
  test('the universe is every KRW market but the flagged ones, ranked by 24-hour turnover', async () => {
    const flags = h.sim.model.listMarkets().filter((m) => m.isWarning || m.cautions.length > 0).map((m) => m.market);
    expect(flags.sort()).toEqual(FLAGGED);
    const all = h.sim.model.listMarkets().map((m) => m.market);
    const raw = (await (await fetch(`${h.sim.restUrl}/v1/ticker?markets=${all.join(',')}`)).json()) as { market: string; acc_trade_price_24h: number }[];
    const expected = raw.filter((t) => !FLAGGED.includes(t.market)).sort((a, b) => b.acc_trade_price_24h - a.acc_trade_price_24h || (a.market < b.market ? -1 : 1));
    expect(md.universe()).toEqual(expected.map((t) => t.market));
    expect(md.universe()).toHaveLength(121);
  });

  test('history gives at least 4 closed 5-minute candles per market, equal to the simulator REST candles', async () => {
    const to = Math.floor(START / FIVE_MIN) * FIVE_MIN;
    expect([...history.keys()].sort()).toEqual([...md.universe()].sort());
    for (const market of md.universe()) {
      const got = history.get(market)!;
      expect(got.candles.length).toBeGreaterThanOrEqual(4);
      expect(got.candles.map(roundVolume)).toEqual((await h.restCandles(market, to, got.candles.length)).map(roundVolume));
      expect(got.candles.at(-1)!.openTime).toBeLessThan(to);
      expect(got.prevDayClose).toBe(h.sim.model.ticker(market, START).prevClose);
    }
    expect(md.stats().backfill).toEqual({ done: 121, total: 121, failed: 0 });
  });

  test('prices stream in for every market of the universe', () => {
    expect(new Set(prices.map((p) => p.market)).size).toBe(121);
    expect(md.feed()).toMatchObject({ isUp: true, reconnects: 0 });
  });

  test('after the clock passes a boundary, closeUpTo delivers one candle per traded market equal to the simulator candle', async () => {
    const boundary = Math.floor(START / FIVE_MIN) * FIVE_MIN + FIVE_MIN;
    const restBefore = md.stats().restCallsByKind.candles;
    await h.advanceTo(boundary);
    await h.advanceTo(boundary + 2_000);
    const report = await md.closeUpTo(boundary);
    const expected: { market: string; candle: Candle }[] = [];
    for (const market of [...md.universe()].sort()) {
      const c = (await h.restCandles(market, boundary, 1))[0];
      if (c && c.openTime === boundary - FIVE_MIN) expected.push({ market, candle: c });
    }
    expect(expected.length).toBeGreaterThan(100);
    expect(closed.map(rounded)).toEqual(expected.map(rounded));
    expect(report).toMatchObject({ boundary, ends: [boundary], marketsEvaluated: 121, delivered: expected.length, fromRest: 0, repaired: [] });
    expect(md.stats().restCallsByKind.candles).toBe(restBefore + report.repaired.length);
    // Exactly once: a second call for the same boundary delivers nothing.
    expect((await md.closeUpTo(boundary)).delivered).toBe(0);
    expect(closed).toHaveLength(expected.length);
  });
});
