// Upbit WebSocket payloads built from the market model (DEFAULT keys), SIMPLE abbreviation and binary encoding.
import { kstLabel, utcDate8, utcLabel, utcTime6 } from './format.ts';
import type { SimBookLevel, SimCandle, SimTickerStats, SimTrade } from './types.ts';
import type { WsFormat } from './ws-request.ts';

export type Payload = Record<string, unknown>;
export type StreamType = 'SNAPSHOT' | 'REALTIME';

const round10 = (x: number) => Math.round(x * 1e10) / 1e10;
const change = (price: number, prev: number) => (price > prev ? 'RISE' : price < prev ? 'FALL' : 'EVEN');

/** @see https://docs.upbit.com/kr/reference/websocket-ticker */
export function tickerPayload(s: SimTickerStats, askBid: 'ASK' | 'BID', now: number, streamType: StreamType): Payload {
  const diff = s.price - s.prevClose;
  const rate = s.prevClose > 0 ? diff / s.prevClose : 0;
  return {
    type: 'ticker', code: s.market, opening_price: s.open, high_price: s.high, low_price: s.low, trade_price: s.price,
    prev_closing_price: s.prevClose, change: change(s.price, s.prevClose), change_price: Math.abs(diff), signed_change_price: diff,
    change_rate: round10(Math.abs(rate)), signed_change_rate: round10(rate), trade_volume: s.tradeVolume,
    acc_trade_volume: s.accVolume, acc_trade_volume_24h: s.accVolume24h, acc_trade_price: s.accTurnover,
    acc_trade_price_24h: s.accTurnover24h, trade_date: utcDate8(s.tradeTime), trade_time: utcTime6(s.tradeTime),
    trade_timestamp: s.tradeTime, ask_bid: askBid,
    // The model does not split volume by aggressor side; half each keeps the sum right.
    acc_ask_volume: s.accVolume / 2, acc_bid_volume: s.accVolume / 2,
    highest_52_week_price: s.high52w, highest_52_week_date: s.high52wDate, lowest_52_week_price: s.low52w,
    lowest_52_week_date: s.low52wDate, market_state: 'ACTIVE', is_trading_suspended: false, delisting_date: null,
    market_warning: 'NONE', timestamp: now, stream_type: streamType,
  };
}

/** @see https://docs.upbit.com/kr/reference/websocket-trade */
export function tradePayload(t: SimTrade, prevClose: number, best: SimBookLevel | undefined, now: number, streamType: StreamType): Payload {
  const label = utcLabel(t.time);
  return {
    type: 'trade', code: t.market, timestamp: now, trade_date: label.slice(0, 10), trade_time: label.slice(11, 19),
    trade_timestamp: t.time, trade_price: t.price, trade_volume: t.volume, ask_bid: t.side === 'buy' ? 'BID' : 'ASK',
    prev_closing_price: prevClose, change: change(t.price, prevClose), change_price: Math.abs(t.price - prevClose),
    sequential_id: t.sequentialId, best_ask_price: best?.askPrice ?? t.price, best_ask_size: best?.askSize ?? 0,
    best_bid_price: best?.bidPrice ?? t.price, best_bid_size: best?.bidSize ?? 0, stream_type: streamType,
  };
}

/** @see https://docs.upbit.com/kr/reference/websocket-candle */
export function candlePayload(market: string, type: string, c: SimCandle, now: number, streamType: StreamType): Payload {
  return {
    type, code: market, candle_date_time_utc: utcLabel(c.openTime), candle_date_time_kst: kstLabel(c.openTime),
    opening_price: c.open, high_price: c.high, low_price: c.low, trade_price: c.close,
    candle_acc_trade_volume: c.volume, candle_acc_trade_price: c.turnoverKrw, timestamp: now, stream_type: streamType,
  };
}

/** @see https://docs.upbit.com/kr/reference/websocket-orderbook */
export function orderbookPayload(market: string, levels: SimBookLevel[], now: number, streamType: StreamType): Payload {
  let totalAsk = 0;
  let totalBid = 0;
  for (const l of levels) {
    totalAsk += l.askSize;
    totalBid += l.bidSize;
  }
  return {
    type: 'orderbook', code: market, timestamp: now, total_ask_size: totalAsk, total_bid_size: totalBid,
    orderbook_units: levels.map((l) => ({ ask_price: l.askPrice, bid_price: l.bidPrice, ask_size: l.askSize, bid_size: l.bidSize })),
    level: 0, stream_type: streamType,
  };
}

// DEFAULT → SIMPLE keys per type (shared/upbit-api.md §8.3).
const COMMON: Record<string, string> = { type: 'ty', code: 'cd', timestamp: 'tms', stream_type: 'st' };
const TICKER: Record<string, string> = {
  ...COMMON, opening_price: 'op', high_price: 'hp', low_price: 'lp', trade_price: 'tp', prev_closing_price: 'pcp', change: 'c',
  change_price: 'cp', signed_change_price: 'scp', change_rate: 'cr', signed_change_rate: 'scr', trade_volume: 'tv',
  acc_trade_volume: 'atv', acc_trade_volume_24h: 'atv24h', acc_trade_price: 'atp', acc_trade_price_24h: 'atp24h',
  trade_date: 'tdt', trade_time: 'ttm', trade_timestamp: 'ttms', ask_bid: 'ab', acc_ask_volume: 'aav', acc_bid_volume: 'abv',
  highest_52_week_price: 'h52wp', highest_52_week_date: 'h52wdt', lowest_52_week_price: 'l52wp', lowest_52_week_date: 'l52wdt',
  market_state: 'ms', is_trading_suspended: 'its', delisting_date: 'dd', market_warning: 'mw',
};
const TRADE: Record<string, string> = {
  ...COMMON, trade_price: 'tp', trade_volume: 'tv', ask_bid: 'ab', prev_closing_price: 'pcp', change: 'c', change_price: 'cp',
  trade_date: 'td', trade_time: 'ttm', trade_timestamp: 'ttms', sequential_id: 'sid', best_ask_price: 'bap',
  best_ask_size: 'bas', best_bid_price: 'bbp', best_bid_size: 'bbs',
};
const ORDERBOOK: Record<string, string> = { ...COMMON, total_ask_size: 'tas', total_bid_size: 'tbs', orderbook_units: 'obu', level: 'lv' };
const ORDERBOOK_UNIT: Record<string, string> = { ask_price: 'ap', bid_price: 'bp', ask_size: 'as', bid_size: 'bs' };
const CANDLE: Record<string, string> = {
  ...COMMON, candle_date_time_utc: 'cdttmu', candle_date_time_kst: 'cdttmk', opening_price: 'op', high_price: 'hp',
  low_price: 'lp', trade_price: 'tp', candle_acc_trade_volume: 'catv', candle_acc_trade_price: 'catp',
};
const MY_ORDER: Record<string, string> = {
  ...COMMON, uuid: 'uid', ask_bid: 'ab', order_type: 'ot', state: 's', trade_uuid: 'tuid', price: 'p', avg_price: 'ap',
  volume: 'v', remaining_volume: 'rv', executed_volume: 'ev', trades_count: 'tc', reserved_fee: 'rsf', remaining_fee: 'rmf',
  paid_fee: 'pf', locked: 'l', executed_funds: 'ef', time_in_force: 'tif', trade_fee: 'tf', is_maker: 'im', identifier: 'id',
  smp_type: 'smpt', prevented_volume: 'pv', prevented_locked: 'pl', trade_timestamp: 'ttms', order_timestamp: 'otms',
};
const MY_ASSET: Record<string, string> = { ...COMMON, asset_uuid: 'astuid', assets: 'ast', asset_timestamp: 'asttms' };
const MY_ASSET_ITEM: Record<string, string> = { currency: 'cu', balance: 'b', locked: 'l' };

function keysFor(type: string): Record<string, string> {
  if (type === 'ticker') return TICKER;
  if (type === 'trade') return TRADE;
  if (type === 'orderbook') return ORDERBOOK;
  if (type === 'myOrder') return MY_ORDER;
  if (type === 'myAsset') return MY_ASSET;
  return type.startsWith('candle.') ? CANDLE : COMMON;
}

const rename = (obj: Payload, keys: Record<string, string>): Payload => {
  const out: Payload = {};
  for (const k in obj) out[keys[k] ?? k] = obj[k];
  return out;
};

/** Abbreviates a DEFAULT payload to SIMPLE keys, nested lists included. */
export function toSimple(payload: Payload): Payload {
  const out = rename(payload, keysFor(String(payload.type)));
  if (Array.isArray(out.obu)) out.obu = out.obu.map((u: Payload) => rename(u, ORDERBOOK_UNIT));
  if (Array.isArray(out.ast)) out.ast = out.ast.map((a: Payload) => rename(a, MY_ASSET_ITEM));
  return out;
}

/** The bytes Upbit would send: UTF-8 JSON in a binary frame; the list formats wrap the object in an array. */
export function encodePayload(payload: Payload, format: WsFormat): Buffer {
  const body = format === 'SIMPLE' || format === 'SIMPLE_LIST' ? toSimple(payload) : payload;
  const json = JSON.stringify(format === 'JSON_LIST' || format === 'SIMPLE_LIST' ? [body] : body);
  return Buffer.from(json);
}
