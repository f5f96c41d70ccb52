// Upbit Quotation JSON shapes (numbers, not strings) built from the MarketModel's records.
import { kstLabel, utcDate8, utcLabel, utcTime6, kstDate8, kstTime6 } from './format.ts';
import type { SimBookLevel, SimCandle, SimTickerStats, SimTrade } from './types.ts';

const r8 = (x: number): number => Number(x.toFixed(8));
const r10 = (x: number): number => Number(x.toFixed(10));

export function toTickerJson(s: SimTickerStats, now: number): Record<string, unknown> {
  const diff = s.price - s.prevClose;
  const rate = s.prevClose > 0 ? diff / s.prevClose : 0;
  return {
    market: s.market,
    trade_date: utcDate8(s.tradeTime),
    trade_time: utcTime6(s.tradeTime),
    trade_date_kst: kstDate8(s.tradeTime),
    trade_time_kst: kstTime6(s.tradeTime),
    trade_timestamp: s.tradeTime,
    opening_price: s.open,
    high_price: s.high,
    low_price: s.low,
    trade_price: s.price,
    prev_closing_price: s.prevClose,
    change: diff > 0 ? 'RISE' : diff < 0 ? 'FALL' : 'EVEN',
    change_price: r8(Math.abs(diff)),
    change_rate: r10(Math.abs(rate)),
    signed_change_price: r8(diff),
    signed_change_rate: r10(rate),
    trade_volume: s.tradeVolume,
    acc_trade_price: s.accTurnover,
    acc_trade_price_24h: s.accTurnover24h,
    acc_trade_volume: s.accVolume,
    acc_trade_volume_24h: s.accVolume24h,
    highest_52_week_price: s.high52w,
    highest_52_week_date: s.high52wDate,
    lowest_52_week_price: s.low52w,
    lowest_52_week_date: s.low52wDate,
    timestamp: now,
  };
}

export function toCandleJson(
  market: string,
  c: SimCandle,
  extra: { unit?: number | undefined; prevClose?: number | undefined; converting?: boolean },
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    market,
    candle_date_time_utc: utcLabel(c.openTime),
    candle_date_time_kst: kstLabel(c.openTime),
    opening_price: c.open,
    high_price: c.high,
    low_price: c.low,
    trade_price: c.close,
    timestamp: c.lastTradeTime,
    candle_acc_trade_price: c.turnoverKrw,
    candle_acc_trade_volume: r8(c.volume),
  };
  if (extra.unit !== undefined) out.unit = extra.unit;
  if (extra.prevClose !== undefined) {
    out.prev_closing_price = extra.prevClose;
    out.change_price = r8(c.close - extra.prevClose);
    out.change_rate = extra.prevClose > 0 ? r10((c.close - extra.prevClose) / extra.prevClose) : 0;
    if (extra.converting) out.converted_trade_price = c.close;
  }
  return out;
}

export function toTradeJson(t: SimTrade, prevClose: number): Record<string, unknown> {
  const iso = utcLabel(t.time);
  return {
    market: t.market,
    trade_date_utc: iso.slice(0, 10),
    trade_time_utc: iso.slice(11, 19),
    timestamp: t.time,
    trade_price: t.price,
    trade_volume: t.volume,
    prev_closing_price: prevClose,
    change_price: r8(t.price - prevClose),
    ask_bid: t.side === 'buy' ? 'BID' : 'ASK',
    sequential_id: t.sequentialId,
  };
}

export function toOrderbookJson(market: string, levels: SimBookLevel[], now: number): Record<string, unknown> {
  return {
    market,
    timestamp: now,
    total_ask_size: r8(levels.reduce((s, l) => s + l.askSize, 0)),
    total_bid_size: r8(levels.reduce((s, l) => s + l.bidSize, 0)),
    orderbook_units: levels.map((l) => ({ ask_price: l.askPrice, bid_price: l.bidPrice, ask_size: l.askSize, bid_size: l.bidSize })),
    level: 0,
  };
}
