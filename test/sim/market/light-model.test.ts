import { expect, test } from 'bun:test';
import { buildDayChunk, indexAfter, packPrices, timeAt } from '../../../src/sim/market/day-chunk.ts';
import { createMarketModel } from '../../../src/sim/market/model.ts';
import { createSeries, emptyChunk, upperBound } from '../../../src/sim/market/series.ts';
import { syntheticDayExtremes } from '../../../src/sim/market/synthetic-extremes.ts';
import { createSyntheticDay, createSyntheticSpecs, generateSyntheticDay } from '../../../src/sim/market/synthetic.ts';

const DAY0 = 20_332; // 2025-09-01
const DAY_MS = 86_400_000;

test('a synthetic day’s bounded extremes equal a scan of its generated minutes, clipped or not', () => {
  const day = createSyntheticDay();
  const specs = createSyntheticSpecs(5, 40, DAY0, DAY0 + 9);
  const clips: [number, number][] = [[-Infinity, Infinity], [(DAY0 + 3) * DAY_MS + 37 * 60_000, (DAY0 + 6) * DAY_MS + 611 * 60_000]];
  let compared = 0;
  for (const [from, to] of clips) {
    for (const spec of specs) {
      for (let d = DAY0 - 1; d <= DAY0 + 10; d++) {
        generateSyntheticDay(spec, d, from, to, day);
        expect(syntheticDayExtremes(spec, d, from, to)).toEqual({ high: day.dayHigh, low: day.dayLow });
        if (day.n > 0) compared++;
      }
    }
  }
  expect(compared).toBeGreaterThanOrEqual(500); // 40 markets × (10 whole days + 4 clipped ones), nearly all trading
});

test('skipping days that cannot beat the running extremes never changes the 52-week prefix', () => {
  const day = createSyntheticDay();
  let skipped = 0;
  for (const spec of createSyntheticSpecs(8, 24, DAY0, DAY0 + 29)) {
    let [high, low, fullHigh, fullLow] = [-Infinity, Infinity, -Infinity, Infinity];
    for (let d = DAY0; d <= DAY0 + 29; d++) {
      const e = syntheticDayExtremes(spec, d, -Infinity, Infinity, high, low);
      if (e.high === -Infinity) skipped++;
      [high, low] = [Math.max(high, e.high), Math.min(low, e.low)];
      generateSyntheticDay(spec, d, -Infinity, Infinity, day);
      [fullHigh, fullLow] = [Math.max(fullHigh, day.dayHigh), Math.min(fullLow, day.dayLow)];
      expect([high, low]).toEqual([fullHigh, fullLow]);
    }
  }
  expect(skipped).toBeGreaterThan(100); // the shortcut is actually taken
});

test('a synthetic market’s 52-week high/low are its highest daily-candle high and lowest low, with their dates', () => {
  const model = createMarketModel({ seed: 3, syntheticCount: 3, dataDir: '/nonexistent' });
  const t = model.span().to;
  for (const market of ['KRW-SYN001', 'KRW-SYN002', 'KRW-SYN003']) {
    const days = model.candles(market, 86_400, t + 1, 200, t);
    const tk = model.ticker(market, t);
    const hi = days.reduce((b, c) => (c.high > b.high ? c : b));
    const lo = days.reduce((b, c) => (c.low < b.low ? c : b));
    expect([tk.high52w, tk.low52w]).toEqual([hi.high, lo.low]);
    expect(days.filter((c) => c.high === hi.high).map((c) => new Date(c.openTime).toISOString().slice(0, 10))).toContain(tk.high52wDate);
    expect(days.filter((c) => c.low === lo.low).map((c) => new Date(c.openTime).toISOString().slice(0, 10))).toContain(tk.low52wDate);
  }
});

test('grid prices pack into Int32 on the finest tick and unpack to the identical doubles', () => {
  const prices = new Float64Array([0.1234, 0.5, 1.23, 99.9, 150, 4_999, 5_005]);
  const { priceScale, packed } = packPrices([prices], prices.length, 0.0001);
  expect(priceScale).toBe(10_000);
  expect(packed[0]).toBeInstanceOf(Int32Array);
  expect([...packed[0]!].map((v) => v / priceScale)).toEqual([...prices]);
  const huge = packPrices([new Float64Array([150_803_000, 3e9])], 2, 1_000);
  expect(huge.priceScale).toBe(1);
  expect(huge.packed[0]).toBeInstanceOf(Float64Array);
  expect([...huge.packed[0]!]).toEqual([150_803_000, 3e9]);
});

test('indexAfter over minute indices agrees with a binary search over full times', () => {
  const day = DAY0 + 2;
  const minute = new Uint16Array([0, 1, 5, 6, 700, 1439]);
  const f64 = (xs: number[]) => new Float64Array(xs);
  const c = buildDayChunk(day, 1, { n: 6, minute, priceScale: 1, open: f64([1, 1, 1, 1, 1, 1]), high: f64([1, 1, 1, 1, 1, 1]), low: f64([1, 1, 1, 1, 1, 1]), close: f64([1, 1, 1, 1, 1, 1]), volume: f64([1, 2, 3, 4, 5, 6]) });
  const times = f64([...minute].map((_, i) => timeAt(c, i)));
  for (const t of [-Infinity, day * DAY_MS - 1, day * DAY_MS, day * DAY_MS + 59_999, day * DAY_MS + 300_000, times[4]! + 1, times[5]!, (day + 1) * DAY_MS, Infinity]) {
    expect(indexAfter(c, t)).toBe(upperBound(times, t));
  }
});

test('the chunk cache keeps only the most recently used days and rebuilds evicted ones', () => {
  const built: number[] = [];
  const series = createSeries(10, 20, 1, (d) => (built.push(d), emptyChunk(d, 1)), 2, () => ({ high: -Infinity, low: Infinity }));
  for (const d of [10, 11, 10, 12, 10, 11]) series.chunk(d);
  expect(built).toEqual([10, 11, 12, 11]);
});
