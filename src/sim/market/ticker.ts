// Ticker figures at time t: UTC-day open/high/low/acc, previous UTC day's close, rolling 24 h, 52-week extremes.
import type { SimTickerStats } from '../types.ts';
import { DAY_MS, indexAfter, rangeBefore } from './day-chunk.ts';
import { createMinuteTrades } from './minute-path.ts';
import { accBetween, accWithin, closeBeforeDay, firstTrade, lastTradeAt, minuteTradesUpTo } from './query.ts';
import type { MinuteSeries } from './series.ts';

const scratch = createMinuteTrades();

function isoDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Open/high/low of the UTC day of t from trades at or before t; null before the day's first trade. */
function dayRange(series: MinuteSeries, t: number): { open: number; high: number; low: number } | null {
  const c = series.chunk(Math.floor(t / DAY_MS));
  const i = indexAfter(c, t) - 1;
  if (i < 0) return null;
  let { high, low } = rangeBefore(c, i);
  const tr = minuteTradesUpTo(c, i, t, scratch);
  for (let k = 0; k < tr.count; k++) {
    high = Math.max(high, tr.price[k]!);
    low = Math.min(low, tr.price[k]!);
  }
  if (high === -Infinity) return null;
  return { open: c.open[0]! / c.priceScale, high, low };
}

export function buildTicker(market: string, series: MinuteSeries, t: number): SimTickerStats {
  const day = Math.floor(t / DAY_MS);
  const last = lastTradeAt(series, t) ?? firstTrade(series) ?? { price: 0, time: t, volume: 0 };
  const range = dayRange(series, t);
  const prevClose = closeBeforeDay(series, day) ?? range?.open ?? last.price;
  const open = range?.open ?? prevClose;
  const high = range?.high ?? prevClose;
  const low = range?.low ?? prevClose;
  const acc = accWithin(series.chunk(day), t);
  const acc24h = accBetween(series, t - DAY_MS, t);
  const before = series.extremesBefore(day);
  const highFirst = !before || (range !== null && range.high > before.high);
  const lowFirst = !before || (range !== null && range.low < before.low);
  return {
    market,
    price: last.price,
    tradeTime: last.time,
    tradeVolume: last.volume,
    open,
    high,
    low,
    prevClose,
    accVolume: acc.volume,
    accTurnover: acc.turnover,
    accVolume24h: acc24h.volume,
    accTurnover24h: acc24h.turnover,
    high52w: highFirst ? high : before.high,
    high52wDate: isoDate(highFirst ? day : before.highDay),
    low52w: lowFirst ? low : before.low,
    low52wDate: isoDate(lowFirst ? day : before.lowDay),
  };
}
