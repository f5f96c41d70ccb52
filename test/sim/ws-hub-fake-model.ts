// A tiny hand-written MarketModel for the WebSocket hub tests: one trade every `tradeEveryMs` per market, prices a pure function of time.
import type { MarketModel, SimBookLevel, SimCandle, SimTickerStats, SimTrade } from '../../src/sim/types.ts';

export type HubFakeModel = MarketModel & { calls: Record<string, number> };

const DAY_MS = 86_400_000;

/** Trade k of market i happens at k·step, at a price that wiggles ±1 % around the market's base on a 1-KRW grid. */
export function createHubFakeModel(markets: string[], opts: { tradeEveryMs?: number; basePrice?: number } = {}): HubFakeModel {
  const step = opts.tradeEveryMs ?? 15_000;
  const base = opts.basePrice ?? 10_000;
  const index = new Map(markets.map((m, i) => [m, i]));
  const calls: Record<string, number> = { ticker: 0, trades: 0, candles: 0, orderbook: 0 };
  const idx = (m: string) => {
    const i = index.get(m);
    if (i === undefined) throw new Error(`Unknown market in hub fake model: ${m}`);
    return i;
  };
  const priceAt = (i: number, k: number) => Math.round(base * (1 + i * 0.1) * (1 + 0.01 * Math.sin(k * 0.7 + i)));
  const trade = (m: string, k: number): SimTrade => {
    const i = idx(m);
    return { market: m, time: k * step, price: priceAt(i, k), volume: 0.1 + (k % 7) * 0.01, side: k % 2 === 0 ? 'buy' : 'sell', sequentialId: k * 1_000 + i };
  };
  const lastK = (t: number) => Math.floor(t / step);

  function tradesIn(m: string, fromExclusive: number, toInclusive: number): SimTrade[] {
    const out: SimTrade[] = [];
    for (let k = lastK(fromExclusive) + 1; k <= lastK(toInclusive); k++) out.push(trade(m, k));
    return out;
  }

  function candleAt(m: string, bucket: number, unitMs: number, t: number): SimCandle | null {
    const trades = tradesIn(m, bucket - 1, Math.min(bucket + unitMs - 1, t));
    const first = trades[0];
    if (!first) return null;
    const c: SimCandle = { openTime: bucket, open: first.price, high: first.price, low: first.price, close: first.price, volume: 0, turnoverKrw: 0, lastTradeTime: first.time };
    for (const tr of trades) {
      c.high = Math.max(c.high, tr.price);
      c.low = Math.min(c.low, tr.price);
      c.close = tr.price;
      c.volume += tr.volume;
      c.turnoverKrw += tr.price * tr.volume;
      c.lastTradeTime = tr.time;
    }
    return c;
  }

  return {
    calls,
    listMarkets: () => markets.map((m) => ({ market: m, koreanName: m, englishName: m, isWarning: false, cautions: [], isSynthetic: true })),
    hasMarket: (m) => index.has(m),
    span: () => ({ from: 0, to: 4e12 }),
    lastPrice: (m, t) => priceAt(idx(m), lastK(t)),
    candles(m, unitSec, toExclusive, count, t) {
      calls.candles! += 1;
      const unitMs = unitSec * 1_000;
      const out: SimCandle[] = [];
      let last = lastK(Math.min(t, toExclusive - 1)) * step;
      while (out.length < count && last >= 0) {
        const bucket = Math.floor(last / unitMs) * unitMs;
        const c = candleAt(m, bucket, unitMs, t);
        if (c) out.push(c);
        last = lastK(bucket - 1) * step;
      }
      return out;
    },
    ticker(m, t): SimTickerStats {
      calls.ticker! += 1;
      const i = idx(m);
      const k = lastK(t);
      const prevClose = priceAt(i, lastK(Math.floor(t / DAY_MS) * DAY_MS - 1));
      const price = priceAt(i, k);
      return {
        market: m, price, tradeTime: k * step, tradeVolume: trade(m, k).volume, open: prevClose, high: Math.max(price, prevClose),
        low: Math.min(price, prevClose), prevClose, accVolume: 10, accTurnover: 10 * price, accVolume24h: 20, accTurnover24h: 20 * price,
        high52w: price * 2, high52wDate: '2025-01-01', low52w: price / 2, low52wDate: '2025-06-01',
      };
    },
    orderbook(m, t, depth): SimBookLevel[] {
      calls.orderbook! += 1;
      const p = priceAt(idx(m), lastK(t));
      return Array.from({ length: depth }, (_, j) => ({ askPrice: p + 1 + j, askSize: 1 + j, bidPrice: p - j, bidSize: 2 + j }));
    },
    trades(m, fromExclusive, toInclusive) {
      calls.trades! += 1;
      return tradesIn(m, fromExclusive, toInclusive);
    },
  };
}
