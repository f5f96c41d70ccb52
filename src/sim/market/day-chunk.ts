// One UTC day of one market's minutes with prefix sums, running extremes and cached bucket aggregates.
import { createMinuteTrades, fillMinuteTrades, minuteTurnover } from './minute-path.ts';

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

/** Full buckets of one unit inside a day (only buckets with trades), oldest first. */
export type BucketAgg = {
  n: number;
  start: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  turnover: Float64Array;
  lastTradeTime: Float64Array;
};

export type DayChunk = {
  day: number;
  n: number;
  salt: number;
  time: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  turnover: Float64Array;
  lastTradeTime: Float64Array;
  /** cumVolume[i] = Σ volume[0..i-1] (length n + 1); same for cumTurnover. */
  cumVolume: Float64Array;
  cumTurnover: Float64Array;
  /** runHigh[i] = max(high[0..i]); runLow likewise. */
  runHigh: Float64Array;
  runLow: Float64Array;
  aggs: Map<number, BucketAgg>;
};

export type DayColumns = Pick<DayChunk, 'time' | 'open' | 'high' | 'low' | 'close' | 'volume'>;

/** Builds a chunk over columns that already hold one UTC day's minutes (views are fine). */
export function buildDayChunk(day: number, salt: number, cols: DayColumns): DayChunk {
  const n = cols.time.length;
  const turnover = new Float64Array(n);
  const lastTradeTime = new Float64Array(n);
  const cumVolume = new Float64Array(n + 1);
  const cumTurnover = new Float64Array(n + 1);
  const runHigh = new Float64Array(n);
  const runLow = new Float64Array(n);
  const trades = createMinuteTrades();
  let hi = -Infinity;
  let lo = Infinity;
  for (let i = 0; i < n; i++) {
    fillMinuteTrades(trades, salt, cols.time[i]!, cols.open[i]!, cols.high[i]!, cols.low[i]!, cols.close[i]!, cols.volume[i]!);
    turnover[i] = minuteTurnover(trades);
    lastTradeTime[i] = trades.count > 0 ? trades.time[trades.count - 1]! : cols.time[i]!;
    cumVolume[i + 1] = cumVolume[i]! + cols.volume[i]!;
    cumTurnover[i + 1] = cumTurnover[i]! + turnover[i]!;
    hi = Math.max(hi, cols.high[i]!);
    lo = Math.min(lo, cols.low[i]!);
    runHigh[i] = hi;
    runLow[i] = lo;
  }
  return { day, n, salt, ...cols, turnover, lastTradeTime, cumVolume, cumTurnover, runHigh, runLow, aggs: new Map() };
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

/** Full-bucket aggregates of a whole-minute unit (divides a day), computed once per chunk. */
export function bucketAgg(chunk: DayChunk, unitMs: number): BucketAgg {
  const cached = chunk.aggs.get(unitMs);
  if (cached) return cached;
  const cap = Math.min(chunk.n, DAY_MS / unitMs);
  const mk = () => new Float64Array(cap);
  const agg: BucketAgg = { n: 0, start: mk(), open: mk(), high: mk(), low: mk(), close: mk(), volume: mk(), turnover: mk(), lastTradeTime: mk() };
  let b = -1;
  for (let i = 0; i < chunk.n; i++) {
    const start = Math.floor(chunk.time[i]! / unitMs) * unitMs;
    if (b < 0 || agg.start[b] !== start) {
      b++;
      agg.start[b] = start;
      agg.open[b] = chunk.open[i]!;
      agg.high[b] = chunk.high[i]!;
      agg.low[b] = chunk.low[i]!;
    } else {
      agg.high[b] = Math.max(agg.high[b]!, chunk.high[i]!);
      agg.low[b] = Math.min(agg.low[b]!, chunk.low[i]!);
    }
    agg.close[b] = chunk.close[i]!;
    agg.volume[b] = agg.volume[b]! + chunk.volume[i]!;
    agg.turnover[b] = agg.turnover[b]! + chunk.turnover[i]!;
    agg.lastTradeTime[b] = chunk.lastTradeTime[i]!;
  }
  agg.n = b + 1;
  chunk.aggs.set(unitMs, agg);
  return agg;
}
