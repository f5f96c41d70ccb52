import { describe, expect, test } from 'bun:test';
import { loadRecordedMarkets, type RecordedMarket } from '../../../src/sim/market/csv-loader.ts';
import { UnsupportedUnitError } from '../../../src/sim/market/candles.ts';
import { createMarketModel } from '../../../src/sim/market/model.ts';
import type { SimCandle } from '../../../src/sim/types.ts';

// Bundled 3-day subset (2025-09-04 … 09-06 UTC): fast, and present in every checkout.
const model = createMarketModel({ seed: 5, syntheticCount: 4, dataDir: '/nonexistent' });
const raw = loadRecordedMarkets({ dataDir: '/nonexistent' });
const rows = (market: string) => raw.markets.find((m) => m.market === market)!;
const END = model.span().to;
const at = (s: string) => Date.parse(`${s}Z`);

/** Every candle of a unit, paging backwards through `to` like a client would (newest first). */
function allCandles(market: string, unitSec: number, t: number): SimCandle[] {
  const out: SimCandle[] = [];
  let to = t + 1;
  for (;;) {
    const page = model.candles(market, unitSec, to, 200, t);
    if (page.length === 0) return out;
    out.push(...page);
    to = page[page.length - 1]!.openTime;
  }
}

/** Reference OHLCV aggregation of the raw 1-minute rows into unit buckets (floor(t / unit)). */
function aggregate(m: RecordedMarket, unitMs: number): Map<number, { open: number; high: number; low: number; close: number; volume: number }> {
  const out = new Map<number, { open: number; high: number; low: number; close: number; volume: number }>();
  for (let i = 0; i < m.length; i++) {
    const b = Math.floor(m.time[i]! / unitMs) * unitMs;
    const c = out.get(b);
    if (!c) out.set(b, { open: m.open[i]!, high: m.high[i]!, low: m.low[i]!, close: m.close[i]!, volume: m.volume[i]! });
    else Object.assign(c, { high: Math.max(c.high, m.high[i]!), low: Math.min(c.low, m.low[i]!), close: m.close[i]!, volume: c.volume + m.volume[i]! });
  }
  return out;
}

describe('minute-unit candles', () => {
  test('5-minute candles are the exact OHLCV aggregation of the 1-minute rows', () => {
    for (const market of ['KRW-BTC', 'KRW-ETH', 'KRW-DOGE']) {
      const ref = aggregate(rows(market), 300_000);
      const got = allCandles(market, 300, END);
      expect(got.length).toBe(ref.size);
      for (const c of got) {
        const r = ref.get(c.openTime)!;
        expect([c.open, c.high, c.low, c.close, c.volume]).toEqual([r.open, r.high, r.low, r.close, r.volume]);
        expect(c.turnoverKrw / c.volume).toBeGreaterThanOrEqual(c.low * (1 - 1e-12));
        expect(c.turnoverKrw / c.volume).toBeLessThanOrEqual(c.high * (1 + 1e-12));
        expect(c.lastTradeTime).toBeGreaterThanOrEqual(c.openTime);
        expect(c.lastTradeTime).toBeLessThan(c.openTime + 300_000);
      }
    }
  });

  test('a bucket without trades has no candle (DOGE gaps on 2025-09-06)', () => {
    const doge = rows('KRW-DOGE');
    const minutes = new Set(doge.time);
    const got = allCandles('KRW-DOGE', 60, END);
    expect(got.length).toBe(doge.length);
    expect(got.every((c) => minutes.has(c.openTime))).toBe(true);
    const gap = at('2025-09-06T00:00:00') + [...Array(1440).keys()].find((k) => !minutes.has(at('2025-09-06T00:00:00') + k * 60_000))! * 60_000;
    expect(got.some((c) => c.openTime === gap)).toBe(false);
    const ref = aggregate(doge, 900_000);
    expect(allCandles('KRW-DOGE', 900, END).map((c) => c.openTime).sort()).toEqual([...ref.keys()].sort());
  });

  test('candles come newest first, before `to`, with at most `count`', () => {
    const to = at('2025-09-05T10:07:00');
    const page = model.candles('KRW-BTC', 60, to, 10, END);
    expect(page.length).toBe(10);
    expect(page[0]!.openTime).toBe(to - 60_000);
    for (let i = 1; i < page.length; i++) expect(page[i]!.openTime).toBeLessThan(page[i - 1]!.openTime);
    expect(model.candles('KRW-BTC', 60, to, 0, END)).toEqual([]);
    expect(model.candles('KRW-BTC', 14_400, END + 1, 200, END).length).toBe(18); // 3 days × 6
    expect(model.candles('KRW-BTC', 86_400, END + 1, 2, END).map((c) => new Date(c.openTime).toISOString())).toEqual([
      '2025-09-06T00:00:00.000Z', '2025-09-05T00:00:00.000Z',
    ]);
    expect(model.candles('KRW-BTC', 60, at('2025-09-04T00:00:00'), 5, END)).toEqual([]);
  });

  test('the bucket holding t is built only from trades up to t', () => {
    const t = at('2025-09-05T12:32:20');
    const [partial, previous] = model.candles('KRW-BTC', 300, t + 1, 2, t);
    expect(partial!.openTime).toBe(at('2025-09-05T12:30:00'));
    expect(previous!.openTime).toBe(at('2025-09-05T12:25:00'));
    const trades = model.trades('KRW-BTC', partial!.openTime - 1, t);
    expect(partial!.volume).toBeCloseTo(trades.reduce((s, x) => s + x.volume, 0), 8);
    expect(partial!.open).toBe(trades[0]!.price);
    expect(partial!.close).toBe(model.lastPrice('KRW-BTC', t));
    expect(partial!.high).toBe(Math.max(...trades.map((x) => x.price)));
    expect(partial!.lastTradeTime).toBe(trades[trades.length - 1]!.time);
    const full = model.candles('KRW-BTC', 300, t + 1, 1, END)[0]!;
    expect(full.volume).toBeGreaterThan(partial!.volume);
    const day = model.candles('KRW-BTC', 86_400, t + 1, 1, t)[0]!;
    expect(day.volume).toBeCloseTo(model.ticker('KRW-BTC', t).accVolume, 6);
  });

  test('1-second candles are the individual trades, newest first', () => {
    const t = at('2025-09-05T12:32:20');
    const secs = model.candles('KRW-ETH', 1, t + 1, 8, t);
    const trades = model.trades('KRW-ETH', t - 180_000, t).reverse().slice(0, 8);
    expect(secs.map((c) => [c.openTime, c.close, c.volume])).toEqual(trades.map((x) => [Math.floor(x.time / 1000) * 1000, x.price, x.volume]));
  });

  test('a unit that does not tile a minute or a day is rejected', () => {
    expect(() => model.candles('KRW-BTC', 7, END, 1, END)).toThrow(UnsupportedUnitError);
    expect(() => model.candles('KRW-BTC', 420, END, 1, END)).toThrow(UnsupportedUnitError);
  });
});
