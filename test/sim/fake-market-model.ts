// A tiny hand-written MarketModel for simulator tests: fixed prices you can move, a flat book, explicit trades.
import { krwTickSize } from '../../src/core/ticks.ts';
import type { MarketModel, SimBookLevel, SimCandle, SimMarketInfo, SimTrade } from '../../src/sim/types.ts';

export type FakeMarketModel = MarketModel & {
  setPrice(market: string, price: number): void;
  /** Appends a market trade (keep times ascending); it also moves the last price. */
  addTrade(market: string, time: number, price: number, volume?: number): void;
  setLevelSize(market: string, size: number): void;
};

type MarketState = { price: number; levelSize: number; trades: SimTrade[] };

/**
 * Book: best bid = price, best ask = price + tick; level i is i ticks further out; every level holds
 * `levelSize`. Candles aggregate the explicit trades only (no trade, no candle).
 */
export function createFakeMarketModel(markets: Record<string, { price: number; levelSize?: number }>, span = { from: 0, to: 4e12 }): FakeMarketModel {
  const state = new Map<string, MarketState>(
    Object.entries(markets).map(([m, v]) => [m, { price: v.price, levelSize: v.levelSize ?? 1, trades: [] }]),
  );
  let seq = 0;
  const get = (market: string): MarketState => {
    const s = state.get(market);
    if (!s) throw new Error(`Unknown market in fake model: ${market}`);
    return s;
  };
  const tradesUpTo = (market: string, t: number) => get(market).trades.filter((x) => x.time <= t);

  return {
    listMarkets: (): SimMarketInfo[] =>
      [...state.keys()].map((m) => ({ market: m, koreanName: m, englishName: m, isWarning: m === 'KRW-WARN', cautions: [], isSynthetic: false })),
    hasMarket: (m) => state.has(m),
    span: () => span,
    lastPrice: (m, t) => {
      const past = tradesUpTo(m, t);
      return past.length > 0 ? past[past.length - 1]!.price : get(m).price;
    },
    candles(m, unitSec, toExclusive, count, t): SimCandle[] {
      const ms = unitSec * 1000;
      const buckets = new Map<number, SimCandle>();
      for (const tr of tradesUpTo(m, t)) {
        const open = Math.floor(tr.time / ms) * ms;
        if (open >= toExclusive) continue;
        const c = buckets.get(open);
        if (!c) {
          buckets.set(open, { openTime: open, open: tr.price, high: tr.price, low: tr.price, close: tr.price, volume: tr.volume, turnoverKrw: tr.price * tr.volume, lastTradeTime: tr.time });
        } else {
          Object.assign(c, { high: Math.max(c.high, tr.price), low: Math.min(c.low, tr.price), close: tr.price, volume: c.volume + tr.volume, turnoverKrw: c.turnoverKrw + tr.price * tr.volume, lastTradeTime: tr.time });
        }
      }
      return [...buckets.values()].sort((a, b) => b.openTime - a.openTime).slice(0, count);
    },
    ticker(m, t) {
      const price = this.lastPrice(m, t);
      const last = tradesUpTo(m, t).at(-1);
      return {
        market: m, price, tradeTime: last?.time ?? t, tradeVolume: last?.volume ?? 0,
        open: price, high: price, low: price, prevClose: price,
        accVolume: 0, accTurnover: 0, accVolume24h: 0, accTurnover24h: 0,
        high52w: price, high52wDate: '2025-01-01', low52w: price, low52wDate: '2025-01-01',
      };
    },
    orderbook(m, t, depth): SimBookLevel[] {
      const price = this.lastPrice(m, t);
      const tick = krwTickSize(price);
      const size = get(m).levelSize;
      return Array.from({ length: depth }, (_, i) => ({ askPrice: price + tick * (i + 1), askSize: size, bidPrice: price - tick * i, bidSize: size }));
    },
    trades: (m, from, to) => get(m).trades.filter((x) => x.time > from && x.time <= to),
    setPrice: (m, p) => void (get(m).price = p),
    setLevelSize: (m, s) => void (get(m).levelSize = s),
    addTrade(m, time, price, volume = 0.01) {
      get(m).trades.push({ market: m, time, price, volume, side: 'buy', sequentialId: ++seq });
    },
  };
}
