// One UTC day of one market's minutes in compact columns: minute index, scaled prices, prefix sums, block extremes.
import type { SimCandle } from '../types.ts';
import { createMinuteTrades, fillMinuteTrades, minuteTurnover } from './minute-path.ts';

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;
/** Minute indices per block of blockHigh/blockLow (running extremes without a per-minute array). */
export const BLOCK = 16;

/** Integer prices (Int32, price = value / priceScale) or plain prices (Float64, priceScale 1). */
export type PriceColumn = Float64Array | Int32Array;

export type DayChunk = {
  day: number;
  n: number;
  salt: number;
  /** day * DAY_MS; minute i opens at dayStart + minute[i] * MINUTE_MS. */
  dayStart: number;
  minute: Uint16Array;
  priceScale: number;
  open: PriceColumn;
  high: PriceColumn;
  low: PriceColumn;
  close: PriceColumn;
  volume: Float64Array;
  /** Σ price × volume of the minute's trades. */
  turnover: Float64Array;
  /** ms from the minute's open to its last trade. */
  lastTradeOffset: Uint16Array;
  /** Σ volume / turnover of minute indices [0, k·BLOCK) (see cumVolumeAt). */
  blockVolume: Float64Array;
  blockTurnover: Float64Array;
  /** Highest high / lowest low (scaled) of minute indices [0, (k+1)·BLOCK): running extremes per block. */
  blockHigh: Float64Array;
  blockLow: Float64Array;
};

/** Prices of one day, on the tick grid, and volumes; minute = minute of the UTC day (ascending). */
export type DayInput = {
  n: number;
  minute: Uint16Array;
  priceScale: number;
  open: PriceColumn;
  high: PriceColumn;
  low: PriceColumn;
  close: PriceColumn;
  volume: Float64Array;
};

export const timeAt = (c: DayChunk, i: number): number => c.dayStart + c.minute[i]! * MINUTE_MS;
export const lastTradeTimeAt = (c: DayChunk, i: number): number => timeAt(c, i) + c.lastTradeOffset[i]!;

/** Number of the chunk's minutes opening at or before t (the index just after them). */
export function indexAfter(c: DayChunk, t: number): number {
  if (t < c.dayStart) return 0;
  if (t >= c.dayStart + DAY_MS) return c.n;
  const m = Math.floor((t - c.dayStart) / MINUTE_MS);
  let lo = 0;
  let hi = c.n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (c.minute[mid]! <= m) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const trades = createMinuteTrades();

/** Builds a chunk over one UTC day's columns (they are kept, not copied). */
export function buildDayChunk(day: number, salt: number, d: DayInput): DayChunk {
  const { n, priceScale: s } = d;
  const dayStart = day * DAY_MS;
  const lastTradeOffset = new Uint16Array(n);
  const turnover = new Float64Array(n);
  const blocks = Math.ceil(n / BLOCK);
  const blockVolume = new Float64Array(blocks + 1);
  const blockTurnover = new Float64Array(blocks + 1);
  let volume = 0;
  let turn = 0;
  const blockHigh = new Float64Array(blocks).fill(-Infinity);
  const blockLow = new Float64Array(blocks).fill(Infinity);
  for (let i = 0; i < n; i++) {
    const start = dayStart + d.minute[i]! * MINUTE_MS;
    fillMinuteTrades(trades, salt, start, d.open[i]! / s, d.high[i]! / s, d.low[i]! / s, d.close[i]! / s, d.volume[i]!);
    lastTradeOffset[i] = trades.count > 0 ? trades.time[trades.count - 1]! - start : 0;
    turnover[i] = minuteTurnover(trades);
    volume += d.volume[i]!;
    turn += turnover[i]!;
    const b = Math.floor(i / BLOCK);
    if (i % BLOCK === 0 && b > 0) [blockHigh[b], blockLow[b]] = [blockHigh[b - 1]!, blockLow[b - 1]!];
    if ((i + 1) % BLOCK === 0 || i === n - 1) [blockVolume[b + 1], blockTurnover[b + 1]] = [volume, turn];
    if (d.high[i]! > blockHigh[b]!) blockHigh[b] = d.high[i]!;
    if (d.low[i]! < blockLow[b]!) blockLow[b] = d.low[i]!;
  }
  return { day, salt, dayStart, ...d, turnover, lastTradeOffset, blockVolume, blockTurnover, blockHigh, blockLow };
}

/** Σ volume of minute indices [0, end): the same additions, in the same order, as a running sum from 0. */
export function cumVolumeAt(c: DayChunk, end: number): number {
  const b = Math.floor(end / BLOCK);
  let s = c.blockVolume[b]!;
  for (let i = b * BLOCK; i < end; i++) s += c.volume[i]!;
  return s;
}

export function cumTurnoverAt(c: DayChunk, end: number): number {
  const b = Math.floor(end / BLOCK);
  let s = c.blockTurnover[b]!;
  for (let i = b * BLOCK; i < end; i++) s += c.turnover[i]!;
  return s;
}

/** Highest high and lowest low of minute indices [0, end) as prices (−∞/+∞ when end is 0). */
export function rangeBefore(c: DayChunk, end: number): { high: number; low: number } {
  const full = Math.floor(end / BLOCK);
  let hi = full > 0 ? c.blockHigh[full - 1]! : -Infinity;
  let lo = full > 0 ? c.blockLow[full - 1]! : Infinity;
  for (let i = full * BLOCK; i < end; i++) {
    if (c.high[i]! > hi) hi = c.high[i]!;
    if (c.low[i]! < lo) lo = c.low[i]!;
  }
  return { high: hi / c.priceScale, low: lo / c.priceScale };
}

/** The candle of minute indices [j, end) (one whole bucket opening at `start`). */
export function fullBucket(c: DayChunk, j: number, end: number, start: number): SimCandle {
  let high = c.high[j]!;
  let low = c.low[j]!;
  let volume = 0;
  let turnoverKrw = 0;
  for (let i = j; i < end; i++) {
    if (c.high[i]! > high) high = c.high[i]!;
    if (c.low[i]! < low) low = c.low[i]!;
    volume += c.volume[i]!;
    turnoverKrw += c.turnover[i]!;
  }
  const s = c.priceScale;
  return {
    openTime: start, open: c.open[j]! / s, high: high / s, low: low / s, close: c.close[end - 1]! / s,
    volume, turnoverKrw, lastTradeTime: lastTradeTimeAt(c, end - 1),
  };
}

/**
 * Packs grid prices into Int32 when every value survives the round trip (value / scale === price);
 * otherwise keeps them as Float64. Scale: the finest tick among the prices, as a power of ten ≥ 1.
 */
export function packPrices(cols: Float64Array[], n: number, finestTick: number): { priceScale: number; packed: PriceColumn[] } {
  const scale = finestTick >= 1 ? 1 : Math.round(1 / finestTick);
  const packed = cols.map(() => new Int32Array(n));
  for (let c = 0; c < cols.length; c++) {
    const src = cols[c]!;
    const dst = packed[c]!;
    for (let i = 0; i < n; i++) {
      const v = Math.round(src[i]! * scale);
      if (v > 0x7fffffff || v < -0x80000000 || v / scale !== src[i]) return { priceScale: 1, packed: cols.map((x) => (x.length === n ? x : x.slice(0, n))) };
      dst[i] = v;
    }
  }
  return { priceScale: scale, packed };
}
