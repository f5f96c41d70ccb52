// Point-in-time lookups over a series: last trade at t, volume/turnover traded up to t (binary search + prefix sums).
import { cumTurnoverAt, cumVolumeAt, DAY_MS, type DayChunk, indexAfter, lastTradeTimeAt, timeAt } from './day-chunk.ts';
import { createMinuteTrades, fillMinuteTrades, type MinuteTrades } from './minute-path.ts';
import type { MinuteSeries } from './series.ts';

export type TradeRef = { price: number; time: number; volume: number };

/** Fills `out` with minute i's trades at or before t (all of them when t is past the minute). */
export function minuteTradesUpTo(c: DayChunk, i: number, t: number, out: MinuteTrades): MinuteTrades {
  const s = c.priceScale;
  fillMinuteTrades(out, c.salt, timeAt(c, i), c.open[i]! / s, c.high[i]! / s, c.low[i]! / s, c.close[i]! / s, c.volume[i]!);
  let k = out.count;
  while (k > 0 && out.time[k - 1]! > t) k--;
  out.count = k;
  return out;
}

const scratch = createMinuteTrades();

/** The last trade at or before t, or null when t precedes the data. */
export function lastTradeAt(series: MinuteSeries, t: number): TradeRef | null {
  for (let day = Math.min(Math.floor(t / DAY_MS), series.lastDay); day >= series.firstDay; day--) {
    const c = series.chunk(day);
    for (let i = indexAfter(c, t) - 1; i >= 0; i--) {
      const tr = minuteTradesUpTo(c, i, t, scratch);
      if (tr.count > 0) return { price: tr.price[tr.count - 1]!, time: tr.time[tr.count - 1]!, volume: tr.volume[tr.count - 1]! };
    }
  }
  return null;
}

/** The first trade of the data (fallback for times before it). */
export function firstTrade(series: MinuteSeries): TradeRef | null {
  for (let day = series.firstDay; day <= series.lastDay; day++) {
    const c = series.chunk(day);
    if (c.n > 0) {
      const tr = minuteTradesUpTo(c, 0, Infinity, scratch);
      return { price: tr.price[0]!, time: tr.time[0]!, volume: tr.volume[0]! };
    }
  }
  return null;
}

export type Acc = { volume: number; turnover: number };

/** Volume and turnover of the chunk's trades at or before t. */
export function accWithin(c: DayChunk, t: number): Acc {
  const i = indexAfter(c, t) - 1;
  if (i < 0) return { volume: 0, turnover: 0 };
  if (t >= lastTradeTimeAt(c, i)) return { volume: cumVolumeAt(c, i + 1), turnover: cumTurnoverAt(c, i + 1) };
  const tr = minuteTradesUpTo(c, i, t, scratch);
  let volume = cumVolumeAt(c, i);
  let turnover = cumTurnoverAt(c, i);
  for (let k = 0; k < tr.count; k++) {
    volume += tr.volume[k]!;
    turnover += tr.price[k]! * tr.volume[k]!;
  }
  return { volume, turnover };
}

/** Volume and turnover of trades in (a, b], for b − a ≤ one day. */
export function accBetween(series: MinuteSeries, a: number, b: number): Acc {
  const dayA = Math.floor(a / DAY_MS);
  const dayB = Math.floor(b / DAY_MS);
  const cb = series.chunk(dayB);
  const upToB = accWithin(cb, b);
  if (dayA === dayB) {
    const upToA = accWithin(cb, a);
    return { volume: upToB.volume - upToA.volume, turnover: upToB.turnover - upToA.turnover };
  }
  const ca = series.chunk(dayA);
  const upToA = accWithin(ca, a);
  return {
    volume: ca.blockVolume[ca.blockVolume.length - 1]! - upToA.volume + upToB.volume,
    turnover: ca.blockTurnover[ca.blockTurnover.length - 1]! - upToA.turnover + upToB.turnover,
  };
}

/** Last close of any day before `day`, or null. */
export function closeBeforeDay(series: MinuteSeries, day: number): number | null {
  for (let d = Math.min(day - 1, series.lastDay); d >= series.firstDay; d--) {
    const c = series.chunk(d);
    if (c.n > 0) return c.close[c.n - 1]! / c.priceScale;
  }
  return null;
}
