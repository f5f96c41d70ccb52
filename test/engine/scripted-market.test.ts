// The scripted market model the engine scenarios run on: candles, tickers and the book agree with its trades.
import { describe, expect, test } from 'bun:test';
import { krwTickSize } from '../../src/core/ticks.ts';
import { createScriptedMarket, FIVE_MIN, MINUTE } from '../helpers/scripted-market.ts';

const START = Date.UTC(2026, 0, 15, 3, 0, 2);
const T0 = START - 2_000;

function model() {
  const m = createScriptedMarket({ start: START, markets: { 'KRW-AAA': { price: 10_000, volume: 40 }, 'KRW-BBB': { price: 1_234 } } });
  m.spike('KRW-AAA', T0, 5);
  m.path('KRW-AAA', T0 + FIVE_MIN, [10_100, 10_360, 9_990]);
  return m;
}

describe('scripted market model', () => {
  test('scripted bars: a spike multiplies volume, a path moves the close and the level stays there', () => {
    const m = model();
    expect(m.bar('KRW-AAA', T0 - MINUTE)).toEqual({ open: 10_000, high: 10_000, low: 10_000, close: 10_000, volume: 40 });
    expect(m.bar('KRW-AAA', T0 + MINUTE).volume).toBe(200);
    expect(m.bar('KRW-AAA', T0 + FIVE_MIN + MINUTE)).toEqual({ open: 10_100, high: 10_360, low: 10_100, close: 10_360, volume: 40 });
    expect(m.bar('KRW-AAA', T0 + FIVE_MIN + 10 * MINUTE).close).toBe(9_990);
  });

  test('5-minute candles aggregate the trades; the bucket holding t shows trading up to t only', () => {
    const m = model();
    const [spike, before] = m.candles('KRW-AAA', 300, T0 + FIVE_MIN, 2, T0 + FIVE_MIN);
    expect(spike).toMatchObject({ openTime: T0, volume: 1_000, close: 10_000 });
    expect(before).toMatchObject({ openTime: T0 - FIVE_MIN, volume: 200 });
    const partial = m.candles('KRW-AAA', 300, T0 + FIVE_MIN + 1, 1, T0 + 2 * MINUTE + 20_000)[0]!;
    expect(partial.volume).toBe(2 * 200 + 2 * 50);
    const trades = m.trades('KRW-AAA', T0 - 1, T0 + FIVE_MIN - 1);
    expect(trades).toHaveLength(20);
    expect(trades.reduce((s, t) => s + t.volume, 0)).toBe(1_000);
  });

  test('tickers: the previous UTC day close, day and 24-hour sums equal the trades', () => {
    const m = model();
    const t = T0 + FIVE_MIN + 2 * MINUTE + 30_000;
    const tk = m.ticker('KRW-AAA', t);
    const dayStart = Math.floor(t / 86_400_000) * 86_400_000;
    const day = m.trades('KRW-AAA', dayStart - 1, t);
    const h24 = m.trades('KRW-AAA', t - 86_400_000, t);
    expect(tk.prevClose).toBe(10_000);
    expect(tk.price).toBe(day.at(-1)!.price);
    expect(tk.accVolume).toBeCloseTo(day.reduce((s, x) => s + x.volume, 0), 6);
    expect(tk.accTurnover).toBeCloseTo(day.reduce((s, x) => s + x.volume * x.price, 0), 3);
    expect(tk.accTurnover24h).toBeCloseTo(h24.reduce((s, x) => s + x.volume * x.price, 0), 3);
    expect(tk.high).toBe(10_360);
  });

  test('the book: one-tick spread around the last price, deep', () => {
    const m = model();
    const [best] = m.orderbook('KRW-BBB', START, 30);
    expect(best!.bidPrice).toBe(1_234);
    expect(best!.askPrice).toBe(1_234 + krwTickSize(1_234));
    expect(best!.askSize * best!.askPrice).toBeGreaterThan(1e8);
  });
});
