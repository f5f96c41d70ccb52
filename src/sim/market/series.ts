// A market's minutes as lazily built UTC-day chunks, plus per-day extremes for 52-week figures.
import type { MinuteColumns } from './csv-loader.ts';
import { type BucketAgg, bucketAgg, buildDayChunk, DAY_MS, type DayChunk, upperBound } from './day-chunk.ts';

export interface MinuteSeries {
  readonly firstDay: number;
  readonly lastDay: number;
  /** The chunk of a UTC day (epoch days); empty outside the data. */
  chunk(day: number): DayChunk;
  /** Full-bucket aggregates of a whole-minute unit for a day; coarse units outlive the chunk cache. */
  agg(day: number, unitMs: number): BucketAgg;
  /** Highest high / lowest low over whole days in [firstDay, day) and the days they happened; null if none. */
  extremesBefore(day: number): { high: number; highDay: number; low: number; lowDay: number } | null;
}

const EMPTY = new Float64Array(0);
/** Units at least this long keep their day aggregates after the day's chunk is evicted (few buckets a day). */
const KEEP_AGG_FROM_MS = 900_000;

/** High/low of a chunk (−∞/+∞ when empty). */
export function chunkExtremes(c: DayChunk): { high: number; low: number } {
  return c.n > 0 ? { high: c.runHigh[c.n - 1]!, low: c.runLow[c.n - 1]! } : { high: -Infinity, low: Infinity };
}

/** High/low over plain columns (−∞/+∞ when empty). */
export function columnExtremes(high: Float64Array, low: Float64Array): { high: number; low: number } {
  let h = -Infinity;
  let l = Infinity;
  for (let i = 0; i < high.length; i++) {
    if (high[i]! > h) h = high[i]!;
    if (low[i]! < l) l = low[i]!;
  }
  return { high: h, low: l };
}

export function emptyChunk(day: number, salt: number): DayChunk {
  return buildDayChunk(day, salt, { time: EMPTY, open: EMPTY, high: EMPTY, low: EMPTY, close: EMPTY, volume: EMPTY });
}

/**
 * Wraps a chunk factory: keeps up to `cacheSize` chunks (most recently used), and walks days
 * once, in order, to record each day's extremes without disturbing that cache.
 */
export function createSeries(
  firstDay: number,
  lastDay: number,
  salt: number,
  makeChunk: (day: number) => DayChunk,
  cacheSize: number,
  /** A cheaper way to a day's extremes than building its chunk (optional). */
  dayExtremes?: (day: number) => { high: number; low: number },
): MinuteSeries {
  const cache = new Map<number, DayChunk>();
  const keptAggs = new Map<number, BucketAgg>(); // key: day * 100_000 + unit minutes
  const dayHigh: number[] = [];
  const dayLow: number[] = [];
  // prefix extremes over [firstDay, firstDay + k): index k
  const preHigh: number[] = [-Infinity];
  const preHighDay: number[] = [-1];
  const preLow: number[] = [Infinity];
  const preLowDay: number[] = [-1];

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
    while (preHigh.length <= k) {
      const i = preHigh.length - 1;
      const day = firstDay + i;
      const c = cache.get(day);
      const ex = c || !dayExtremes ? chunkExtremes(c ?? makeChunk(day)) : dayExtremes(day);
      dayHigh.push(ex.high);
      dayLow.push(ex.low);
      const higher = dayHigh[i]! > preHigh[i]!;
      preHigh.push(higher ? dayHigh[i]! : preHigh[i]!);
      preHighDay.push(higher ? day : preHighDay[i]!);
      const lower = dayLow[i]! < preLow[i]!;
      preLow.push(lower ? dayLow[i]! : preLow[i]!);
      preLowDay.push(lower ? day : preLowDay[i]!);
    }
  }

  return {
    firstDay,
    lastDay,
    chunk,
    agg(day, unitMs) {
      if (unitMs < KEEP_AGG_FROM_MS) return bucketAgg(chunk(day), unitMs);
      const key = day * 100_000 + unitMs / 60_000;
      let kept = keptAggs.get(key);
      if (!kept) keptAggs.set(key, (kept = bucketAgg(chunk(day), unitMs)));
      return kept;
    },
    extremesBefore(day) {
      const k = Math.min(Math.max(day, firstDay), lastDay + 1) - firstDay;
      extend(k);
      if (preHighDay[k]! < 0) return null;
      return { high: preHigh[k]!, highDay: preHighDay[k]!, low: preLow[k]!, lowDay: preLowDay[k]! };
    },
  };
}

/** Series over recorded columns clipped to [fromMs, toMs); every chunk stays cached (they are views). */
export function createRecordedSeries(cols: MinuteColumns, salt: number, fromMs: number, toMs: number): MinuteSeries {
  const lo = upperBound(cols.time, fromMs - 1);
  const hi = upperBound(cols.time, toMs - 1);
  const time = cols.time.subarray(lo, hi);
  if (time.length === 0) return createSeries(0, -1, salt, (d) => emptyChunk(d, salt), 0);
  const firstDay = Math.floor(time[0]! / DAY_MS);
  const lastDay = Math.floor(time[time.length - 1]! / DAY_MS);
  const make = (day: number): DayChunk => {
    const a = upperBound(time, day * DAY_MS - 1);
    const b = upperBound(time, (day + 1) * DAY_MS - 1);
    const view = (c: Float64Array) => c.subarray(lo + a, lo + b);
    return buildDayChunk(day, salt, {
      time: view(cols.time), open: view(cols.open), high: view(cols.high), low: view(cols.low), close: view(cols.close), volume: view(cols.volume),
    });
  };
  return createSeries(firstDay, lastDay, salt, make, Infinity);
}
