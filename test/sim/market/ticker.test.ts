import { expect, test } from 'bun:test';
import { loadRecordedMarkets } from '../../../src/sim/market/csv-loader.ts';
import { createMarketModel } from '../../../src/sim/market/model.ts';

const model = createMarketModel({ seed: 9, syntheticCount: 4, dataDir: '/nonexistent' });
const raw = loadRecordedMarkets({ dataDir: '/nonexistent' });
const at = (s: string) => Date.parse(`${s}Z`);
const DAY = 86_400_000;

/** Indices of the raw rows of a market with from ≤ time < to. */
function rowsIn(market: string, from: number, to: number) {
  const m = raw.markets.find((x) => x.market === market)!;
  const idx = [...Array(m.length).keys()].filter((i) => m.time[i]! >= from && m.time[i]! < to);
  return { m, idx };
}

test('day fields reset at 00:00 UTC and prevClose is the previous UTC day’s last close', () => {
  const dayStart = at('2025-09-05T00:00:00');
  const { m: btc, idx: prevDay } = rowsIn('KRW-BTC', dayStart - DAY, dayStart);
  const before = model.ticker('KRW-BTC', dayStart - 1);
  expect(before.accVolume).toBeCloseTo(prevDay.reduce((s, i) => s + btc.volume[i]!, 0), 6);
  expect(before.open).toBe(btc.open[prevDay[0]!]!);
  expect(before.high).toBe(Math.max(...prevDay.map((i) => btc.high[i]!)));

  const t = dayStart + 30_000;
  const after = model.ticker('KRW-BTC', t);
  const { idx: today } = rowsIn('KRW-BTC', dayStart, dayStart + DAY);
  expect(after.prevClose).toBe(btc.close[prevDay[prevDay.length - 1]!]!);
  expect(after.open).toBe(btc.open[today[0]!]!);
  const trades = model.trades('KRW-BTC', dayStart - 1, t);
  expect(after.accVolume).toBeCloseTo(trades.reduce((s, x) => s + x.volume, 0), 8);
  expect(after.accVolume).toBeLessThan(btc.volume[today[0]!]! + 1e-9);
  expect(after.high).toBe(Math.max(...trades.map((x) => x.price)));
  expect(after.low).toBe(Math.min(...trades.map((x) => x.price)));
  expect(after.accVolume24h).toBeGreaterThan(after.accVolume * 10);
});

test('price, trade time and rolling 24 h figures agree with the trades feed', () => {
  const t = at('2025-09-06T08:15:42');
  const tk = model.ticker('KRW-XRP', t);
  const trades = model.trades('KRW-XRP', t - DAY, t);
  const last = trades[trades.length - 1]!;
  expect([tk.price, tk.tradeTime, tk.tradeVolume]).toEqual([last.price, last.time, last.volume]);
  expect(tk.price).toBe(model.lastPrice('KRW-XRP', t));
  const vol = trades.reduce((s, x) => s + x.volume, 0);
  const krw = trades.reduce((s, x) => s + x.price * x.volume, 0);
  expect(tk.accVolume24h / vol).toBeCloseTo(1, 10);
  expect(tk.accTurnover24h / krw).toBeCloseTo(1, 10);
});

test('52-week extremes cover the data up to t, with their UTC dates', () => {
  const t = model.span().to;
  const { m, idx } = rowsIn('KRW-SOL', 0, t);
  const tk = model.ticker('KRW-SOL', t);
  const hi = idx.reduce((b, i) => (m.high[i]! > m.high[b]! ? i : b), idx[0]!);
  const lo = idx.reduce((b, i) => (m.low[i]! < m.low[b]! ? i : b), idx[0]!);
  expect(tk.high52w).toBe(m.high[hi]!);
  expect(tk.low52w).toBe(m.low[lo]!);
  expect(tk.high52wDate).toBe(new Date(m.time[hi]!).toISOString().slice(0, 10));
  expect(tk.low52wDate).toBe(new Date(m.time[lo]!).toISOString().slice(0, 10));
  const early = model.ticker('KRW-SOL', at('2025-09-04T03:00:00'));
  expect(early.high52w).toBeLessThanOrEqual(tk.high52w);
  expect(early.high52wDate).toBe('2025-09-04');
});

test('an unknown market throws', () => {
  expect(() => model.ticker('KRW-NOPE', model.span().to)).toThrow('Cannot find market');
  expect(model.hasMarket('KRW-NOPE')).toBe(false);
  expect(model.hasMarket('KRW-SYN004')).toBe(true);
});
