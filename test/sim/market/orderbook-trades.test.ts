import { expect, test } from 'bun:test';
import { krwTickSize, roundPriceToTick } from '../../../src/core/ticks.ts';
import { createMarketModel } from '../../../src/sim/market/model.ts';
import { buildOrderbook } from '../../../src/sim/market/orderbook.ts';

const model = createMarketModel({ seed: 11, syntheticCount: 30, dataDir: '/nonexistent' });
const { from, to } = model.span();
const at = (s: string) => Date.parse(`${s}Z`);
const onGrid = (p: number) => p > 0 && roundPriceToTick(p) === p;

test('every served price is on the KRW tick grid', () => {
  const bad: string[] = [];
  const check = (what: string, p: number) => { if (!onGrid(p)) bad.push(`${what}=${p}`); };
  for (const { market } of model.listMarkets()) {
    for (let k = 1; k <= 6; k++) {
      const t = from + Math.floor(((to - from) * k) / 7) + k * 7_919;
      check(`${market} last`, model.lastPrice(market, t));
      const tk = model.ticker(market, t);
      for (const f of ['price', 'open', 'high', 'low', 'prevClose', 'high52w', 'low52w'] as const) check(`${market} ${f}`, tk[f]);
      for (const unit of [60, 300, 86_400]) {
        for (const c of model.candles(market, unit, t + 1, 20, t)) for (const p of [c.open, c.high, c.low, c.close]) check(`${market} ${unit}`, p);
      }
      for (const l of model.orderbook(market, t, 30)) { check(`${market} ask`, l.askPrice); check(`${market} bid`, l.bidPrice); }
      for (const tr of model.trades(market, t - 120_000, t)) check(`${market} trade`, tr.price);
    }
  }
  expect(bad.slice(0, 5)).toEqual([]);
});

test('the book has a one-tick spread at the last price, monotone levels and real depth', () => {
  for (const { market } of model.listMarkets()) {
    const t = at('2025-09-05T12:31:10');
    const book = model.orderbook(market, t, 30);
    expect(book.length).toBe(30);
    const bid0 = book[0]!.bidPrice;
    expect(bid0).toBe(model.lastPrice(market, t));
    expect(book[0]!.askPrice).toBe(roundPriceToTick(bid0 + krwTickSize(bid0)));
    for (let k = 1; k < 30; k++) {
      expect(book[k]!.askPrice).toBeGreaterThan(book[k - 1]!.askPrice);
      expect(book[k]!.bidPrice).toBeLessThan(book[k - 1]!.bidPrice);
    }
    expect(book.every((l) => l.askSize > 0 && l.bidSize > 0)).toBe(true);
    expect(book[0]!.askPrice * book[0]!.askSize).toBeGreaterThanOrEqual(100_000);
    expect(book[0]!.bidPrice * book[0]!.bidSize).toBeGreaterThanOrEqual(100_000);
    expect(model.orderbook(market, t, 30)).toEqual(book);
  }
  const btc = model.orderbook('KRW-BTC', at('2025-09-05T12:31:10'), 30);
  const depthKrw = btc.reduce((s, l) => s + l.askPrice * l.askSize, 0);
  expect(btc[0]!.askPrice * btc[0]!.askSize).toBeLessThan(1e9); // a 1-billion-KRW buy walks the book…
  expect(depthKrw).toBeGreaterThan(1e9); // …and still fills within 30 levels
});

test('book levels step across a tick-band edge with each band’s own tick', () => {
  const book = buildOrderbook(100, 10, 0, 4, 1);
  expect(book.map((l) => l.bidPrice)).toEqual([100, 99.9, 99.8, 99.7]);
  expect(book.map((l) => l.askPrice)).toEqual([101, 102, 103, 104]);
  expect(buildOrderbook(4_999, 10, 0, 3, 1).map((l) => l.askPrice)).toEqual([5_000, 5_005, 5_010]);
});

test('a minute’s trades replay its OHLC path and sum to its volume', () => {
  const minute = at('2025-09-05T12:30:00');
  const [c] = model.candles('KRW-DOGE', 60, minute + 1, 1, to);
  const trades = model.trades('KRW-DOGE', minute - 1, minute + 59_999);
  expect(trades.length).toBe(4);
  expect(trades.reduce((s, x) => s + x.volume, 0)).toBeCloseTo(c!.volume, 8);
  expect(trades[0]!.price).toBe(c!.open);
  expect(trades[3]!.price).toBe(c!.close);
  expect(Math.max(...trades.map((x) => x.price))).toBe(c!.high);
  expect(Math.min(...trades.map((x) => x.price))).toBe(c!.low);
  for (let k = 1; k < 4; k++) {
    expect(trades[k]!.time).toBeGreaterThan(trades[k - 1]!.time);
    expect(trades[k]!.sequentialId).toBeGreaterThan(trades[k - 1]!.sequentialId);
    const d = trades[k]!.price - trades[k - 1]!.price;
    if (d !== 0) expect(trades[k]!.side).toBe(d > 0 ? 'buy' : 'sell');
  }
  expect(trades.every((x) => x.time >= minute && x.time < minute + 60_000 && Number.isInteger(Math.round(x.volume * 1e8)))).toBe(true);
});

test('lastPrice moves within a minute and trades() honours (from, to]', () => {
  const minute = at('2025-09-05T12:30:00');
  const seen = new Set<number>();
  for (let s = 0; s < 60; s++) seen.add(model.lastPrice('KRW-BTC', minute + s * 1000));
  expect(seen.size).toBeGreaterThanOrEqual(2);
  const [a, b] = model.trades('KRW-BTC', minute - 1, minute + 59_999);
  expect(model.lastPrice('KRW-BTC', b!.time - 1)).toBe(a!.price);
  expect(model.trades('KRW-BTC', a!.time - 1, a!.time).map((x) => x.time)).toEqual([a!.time]);
  expect(model.trades('KRW-BTC', a!.time, b!.time).map((x) => x.time)).toEqual([b!.time]);
});
