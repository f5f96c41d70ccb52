// Candles of any unit (1 s … 1 day) built from the same minute path: cached full buckets plus a partial bucket at t.
import type { SimCandle } from '../types.ts';
import { DAY_MS, type DayChunk, fullBucket, indexAfter, lastTradeTimeAt, MINUTE_MS, timeAt } from './day-chunk.ts';
import { createMinuteTrades } from './minute-path.ts';
import { minuteTradesUpTo } from './query.ts';
import { KEEP_DAY_CANDLES_FROM_MS, type MinuteSeries } from './series.ts';

export class UnsupportedUnitError extends Error {
  override readonly name = 'UnsupportedUnitError';
  constructor(unitSec: number) {
    super(`Cannot build candles: unit ${unitSec}s neither divides a minute nor is a whole-minute divisor of a day`);
  }
}

const scratch = createMinuteTrades();

export function isSupportedUnit(unitSec: number): boolean {
  const ms = unitSec * 1000;
  if (!Number.isInteger(unitSec) || unitSec <= 0) return false;
  return ms < MINUTE_MS ? MINUTE_MS % ms === 0 : ms % MINUTE_MS === 0 && DAY_MS % ms === 0;
}

/** Newest-first candles; see MarketModel.candles for the contract. */
export function buildCandles(series: MinuteSeries, unitSec: number, toExclusive: number, count: number, t: number): SimCandle[] {
  if (!isSupportedUnit(unitSec)) throw new UnsupportedUnitError(unitSec);
  const unitMs = unitSec * 1000;
  const limit = Math.min(toExclusive - 1, t);
  if (count <= 0) return [];
  const lastStart = Math.floor(limit / unitMs) * unitMs;
  return unitMs < MINUTE_MS ? secondCandles(series, unitMs, lastStart, count, t) : minuteCandles(series, unitMs, lastStart, count, t);
}

function minuteCandles(series: MinuteSeries, unitMs: number, lastStart: number, count: number, t: number): SimCandle[] {
  const out: SimCandle[] = [];
  for (let day = Math.min(Math.floor(lastStart / DAY_MS), series.lastDay); day >= series.firstDay && out.length < count; day--) {
    if (unitMs >= KEEP_DAY_CANDLES_FROM_MS) {
      const full = series.dayCandles(day, unitMs);
      for (let b = full.length - 1; b >= 0 && out.length < count; b--) {
        const c = full[b]!;
        if (c.openTime > lastStart) continue;
        if (c.openTime + unitMs > t) {
          const partial = partialBucket(series.chunk(day), c.openTime, t);
          if (partial) out.push(partial);
        } else out.push({ ...c });
      }
      continue;
    }
    const chunk = series.chunk(day);
    for (let i = indexAfter(chunk, lastStart + unitMs - 1) - 1; i >= 0 && out.length < count;) {
      const start = Math.floor(timeAt(chunk, i) / unitMs) * unitMs;
      let j = i;
      while (j > 0 && timeAt(chunk, j - 1) >= start) j--;
      if (start + unitMs > t) {
        const partial = partialBucket(chunk, start, t);
        if (partial) out.push(partial);
      } else out.push(fullBucket(chunk, j, i + 1, start));
      i = j - 1;
    }
  }
  return out;
}

/** The bucket holding t, from its minutes' trades at or before t; null when none traded yet. */
function partialBucket(chunk: DayChunk, start: number, t: number): SimCandle | null {
  const i0 = indexAfter(chunk, start - 1);
  const i1 = indexAfter(chunk, t);
  let c: SimCandle | null = null;
  for (let i = i0; i < i1; i++) {
    if (lastTradeTimeAt(chunk, i) <= t) {
      c = addMinute(c, chunk, i, start);
      continue;
    }
    const tr = minuteTradesUpTo(chunk, i, t, scratch);
    for (let k = 0; k < tr.count; k++) c = addTrade(c, start, tr.price[k]!, tr.volume[k]!, tr.time[k]!, true);
  }
  return c;
}

function addMinute(c: SimCandle | null, chunk: DayChunk, i: number, start: number): SimCandle {
  const s = chunk.priceScale;
  const [high, low, close, volume] = [chunk.high[i]! / s, chunk.low[i]! / s, chunk.close[i]! / s, chunk.volume[i]!];
  const turnoverKrw = chunk.turnover[i]!;
  const lastTradeTime = lastTradeTimeAt(chunk, i);
  if (!c) return { openTime: start, open: chunk.open[i]! / s, high, low, close, volume, turnoverKrw, lastTradeTime };
  c.high = Math.max(c.high, high);
  c.low = Math.min(c.low, low);
  c.close = close;
  c.volume += volume;
  c.turnoverKrw += turnoverKrw;
  c.lastTradeTime = lastTradeTime;
  return c;
}

/** Folds one trade into a candle; `forward` = trades arrive oldest first. */
function addTrade(c: SimCandle | null, start: number, price: number, volume: number, time: number, forward: boolean): SimCandle {
  if (!c) return { openTime: start, open: price, high: price, low: price, close: price, volume, turnoverKrw: price * volume, lastTradeTime: time };
  if (forward) {
    c.close = price;
    c.lastTradeTime = time;
  } else c.open = price;
  c.high = Math.max(c.high, price);
  c.low = Math.min(c.low, price);
  c.volume += volume;
  c.turnoverKrw += price * volume;
  return c;
}

function secondCandles(series: MinuteSeries, unitMs: number, lastStart: number, count: number, t: number): SimCandle[] {
  const out: SimCandle[] = [];
  let cur: SimCandle | null = null;
  const limit = Math.min(t, lastStart + unitMs - 1);
  for (let day = Math.min(Math.floor(limit / DAY_MS), series.lastDay); day >= series.firstDay; day--) {
    const chunk = series.chunk(day);
    for (let i = indexAfter(chunk, limit) - 1; i >= 0; i--) {
      const tr = minuteTradesUpTo(chunk, i, limit, scratch);
      for (let k = tr.count - 1; k >= 0; k--) {
        const start = Math.floor(tr.time[k]! / unitMs) * unitMs;
        if (!cur || cur.openTime !== start) {
          if (cur) out.push(cur);
          if (out.length >= count) return out;
          cur = null;
        }
        cur = addTrade(cur, start, tr.price[k]!, tr.volume[k]!, tr.time[k]!, false);
      }
    }
  }
  if (cur && out.length < count) out.push(cur);
  return out;
}
