// A market's minutes as lazily built UTC-day chunks (small LRU), plus per-day extremes for 52-week figures.
import { krwTickSize } from '../../core/ticks.ts';
import type { SimCandle } from '../types.ts';
import type { CandleColumns } from '../../candles/columns.ts';
import {
  buildDayChunk, DAY_MS, type DayChunk, fullBucket, indexAfter, MINUTE_MS, packPrices, type PriceColumn, timeAt,
} from './day-chunk.ts';

export interface MinuteSeries {
  readonly firstDay: number;
  readonly lastDay: number;
  /** The chunk of a UTC day (epoch days); empty outside the data. */
  chunk(day: number): DayChunk;
  /** A day's full buckets of a unit ≥ KEEP_DAY_CANDLES_FROM_MS, oldest first; kept after the chunk is evicted. */
  dayCandles(day: number, unitMs: number): readonly SimCandle[];
  /** Highest high / lowest low over whole days in [firstDay, day) and the days they happened; null if none. */
  extremesBefore(day: number): { high: number; highDay: number; low: number; lowDay: number } | null;
}

/** Units at least this long keep their day candles after the day's chunk is evicted (≤ 24 buckets a day). */
export const KEEP_DAY_CANDLES_FROM_MS = 3_600_000;

const EMPTY_MINUTES = new Uint16Array(0);
const EMPTY = new Float64Array(0);

export function emptyChunk(day: number, salt: number): DayChunk {
  return buildDayChunk(day, salt, {
    n: 0, minute: EMPTY_MINUTES, priceScale: 1, open: EMPTY, high: EMPTY, low: EMPTY, close: EMPTY, volume: EMPTY,
  });
}

/**
 * A day's extremes as prices (−∞/+∞ for a day without trades). Given the extremes of the days before
 * it, a side that cannot beat them (strictly) may be reported as −∞/+∞ instead.
 */
export type DayExtremes = (day: number, beatHigh: number, beatLow: number) => { high: number; low: number };

/**
 * Wraps a chunk factory: keeps up to `cacheSize` chunks (most recently used). The 52-week figures
 * come from `dayExtremes`, a cheaper way to a day's high/low than its chunk, cached as two numbers a day.
 */
export function createSeries(
  firstDay: number,
  lastDay: number,
  salt: number,
  makeChunk: (day: number) => DayChunk,
  cacheSize: number,
  dayExtremes: DayExtremes,
): MinuteSeries {
  const cache = new Map<number, DayChunk>();
  const kept = new Map<number, SimCandle[]>(); // key: day * 100_000 + unit minutes
  const days = Math.max(0, lastDay - firstDay + 1);
  // prefix extremes over [firstDay, firstDay + k): index k; `known` of them computed so far
  const preHigh = new Float64Array(days + 1).fill(-Infinity);
  const preLow = new Float64Array(days + 1).fill(Infinity);
  const preHighDay = new Int32Array(days + 1).fill(-1);
  const preLowDay = new Int32Array(days + 1).fill(-1);
  let known = 0;

  function chunk(day: number): DayChunk {
    if (day < firstDay || day > lastDay) return emptyChunk(day, salt);
    const hit = cache.get(day);
    if (hit) {
      cache.delete(day);
      cache.set(day, hit);
      return hit;
    }
    const made = makeChunk(day);
    cache.set(day, made);
    if (cache.size > cacheSize) cache.delete(cache.keys().next().value!);
    return made;
  }

  function extend(k: number): void {
    for (; known < k; known++) {
      const day = firstDay + known;
      const ex = dayExtremes(day, preHigh[known]!, preLow[known]!);
      const higher = ex.high > preHigh[known]!;
      preHigh[known + 1] = higher ? ex.high : preHigh[known]!;
      preHighDay[known + 1] = higher ? day : preHighDay[known]!;
      const lower = ex.low < preLow[known]!;
      preLow[known + 1] = lower ? ex.low : preLow[known]!;
      preLowDay[known + 1] = lower ? day : preLowDay[known]!;
    }
  }

  return {
    firstDay,
    lastDay,
    chunk,
    dayCandles(day, unitMs) {
      const key = day * 100_000 + unitMs / 60_000;
      let list = kept.get(key);
      if (!list) kept.set(key, (list = fullBuckets(chunk(day), unitMs)));
      return list;
    },
    extremesBefore(day) {
      const k = Math.min(Math.max(day, firstDay), lastDay + 1) - firstDay;
      extend(k);
      if (preHighDay[k]! < 0) return null;
      return { high: preHigh[k]!, highDay: preHighDay[k]!, low: preLow[k]!, lowDay: preLowDay[k]! };
    },
  };
}

/** Every full bucket of a whole-minute unit in a chunk, oldest first. */
function fullBuckets(c: DayChunk, unitMs: number): SimCandle[] {
  const out: SimCandle[] = [];
  for (let j = 0; j < c.n;) {
    const start = Math.floor(timeAt(c, j) / unitMs) * unitMs;
    const end = indexAfter(c, start + unitMs - 1);
    out.push(fullBucket(c, j, end, start));
    j = end;
  }
  return out;
}

/** Recorded chunks kept per market (each rebuilds from the shared columns in well under a millisecond). */
const RECORDED_CACHE_DAYS = 4;

/**
 * Series over recorded columns clipped to [fromMs, toMs). Prices on the tick grid are packed into Int32
 * (half the bytes, exact on the way back); time and volume stay views of the loaded columns.
 */
export function createRecordedSeries(cols: CandleColumns, salt: number, fromMs: number, toMs: number): MinuteSeries {
  const lo = upperBound(cols.time, fromMs - 1);
  const hi = upperBound(cols.time, toMs - 1);
  const none = () => ({ high: -Infinity, low: Infinity });
  if (hi <= lo) return createSeries(0, -1, salt, (d) => emptyChunk(d, salt), 0, none);
  const time = cols.time.subarray(lo, hi);
  const volume = cols.volume.subarray(lo, hi);
  let minLow = Infinity;
  for (let i = lo; i < hi; i++) minLow = Math.min(minLow, cols.low[i]!);
  const prices = [cols.open, cols.high, cols.low, cols.close].map((c) => c.subarray(lo, hi));
  const { priceScale, packed } = packPrices(prices, hi - lo, krwTickSize(minLow));
  const [open, high, low, close] = packed as [PriceColumn, PriceColumn, PriceColumn, PriceColumn];
  const firstDay = Math.floor(time[0]! / DAY_MS);
  const lastDay = Math.floor(time[time.length - 1]! / DAY_MS);
  const rows = (day: number): [number, number] => [upperBound(time, day * DAY_MS - 1), upperBound(time, (day + 1) * DAY_MS - 1)];
  const make = (day: number): DayChunk => {
    const [a, b] = rows(day);
    const minute = new Uint16Array(b - a);
    for (let i = a; i < b; i++) minute[i - a] = (time[i]! - day * DAY_MS) / MINUTE_MS;
    return buildDayChunk(day, salt, {
      n: b - a, minute, priceScale, open: open.subarray(a, b), high: high.subarray(a, b), low: low.subarray(a, b), close: close.subarray(a, b), volume: volume.subarray(a, b),
    });
  };
  const extremes = (day: number) => {
    const [a, b] = rows(day);
    let [dayHigh, dayLow] = [-Infinity, Infinity];
    for (let i = a; i < b; i++) [dayHigh, dayLow] = [Math.max(dayHigh, high[i]!), Math.min(dayLow, low[i]!)];
    return { high: dayHigh / priceScale, low: dayLow / priceScale };
  };
  return createSeries(firstDay, lastDay, salt, make, RECORDED_CACHE_DAYS, extremes);
}

/** Index of the first element > x in a sorted array (binary search). */
export function upperBound(a: Float64Array, x: number, lo = 0, hi = a.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
