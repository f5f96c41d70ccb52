// Pure parsers for Upbit WebSocket frames (DEFAULT and SIMPLE formats) into domain events; Upbit words stay here.
import type { Balance, Candle, Fill, MarketCode, Order, OrderKind, OrderState, Side, Ticker, TimeInForce } from '../../core/types.ts';
import type { CandleUnit } from '../exchange.ts';

/** Candle intervals the socket streams: seconds or minutes (no day candles on the socket). */
export type StreamCandleUnit = Exclude<CandleUnit, 'day'>;

export type MarketTrade = {
  market: MarketCode;
  price: number;
  volume: number;
  /** Taker side: 'buy' when the aggressor bought (Upbit BID). */
  side: Side;
  time: number;
  sequentialId: number;
};

export type StreamMessage =
  | { kind: 'ticker'; ticker: Ticker; isSnapshot: boolean }
  | { kind: 'trade'; trade: MarketTrade; isSnapshot: boolean }
  | { kind: 'candle'; unit: StreamCandleUnit; candle: Candle; isSnapshot: boolean }
  | { kind: 'order'; order: Order; fill: Fill | null }
  | { kind: 'balance'; balances: Balance[]; time: number }
  | { kind: 'heartbeat' }
  | { kind: 'error'; code: string; message: string }
  | { kind: 'subscriptions'; result: unknown }
  | { kind: 'unknown'; type: string };

/** A frame that could not be decoded or lacks a required field. */
export class StreamMessageInvalid extends Error {
  override readonly name = 'StreamMessageInvalid';
}

type Raw = Record<string, unknown>;
const decoder = new TextDecoder();

/** Text of a text or binary frame (string, Buffer/Uint8Array, ArrayBuffer); null for anything else (e.g. Blob). */
export function decodeFrame(data: unknown): string | null {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return decoder.decode(data);
  if (ArrayBuffer.isView(data)) return decoder.decode(data);
  return null;
}

/** Parses one decoded frame; throws StreamMessageInvalid for non-JSON or malformed payloads. */
export function parseStreamFrame(text: string): StreamMessage {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new StreamMessageInvalid(`Could not parse WebSocket frame as JSON: ${text.slice(0, 80)}`, { cause });
  }
  // JSON_LIST / SIMPLE_LIST formats wrap each message in an array; we only request DEFAULT/SIMPLE.
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === null || typeof raw !== 'object') throw new StreamMessageInvalid(`WebSocket frame is not an object: ${text.slice(0, 80)}`);
  return parseStreamMessage(raw as Raw);
}

export function parseStreamMessage(raw: Raw): StreamMessage {
  if (raw.error && typeof raw.error === 'object') {
    const e = raw.error as Raw;
    return { kind: 'error', code: String(e.name ?? 'UNKNOWN'), message: String(e.message ?? '') };
  }
  if (raw.status === 'UP') return { kind: 'heartbeat' };
  if (raw.method === 'LIST_SUBSCRIPTIONS') return { kind: 'subscriptions', result: raw.result };
  const type = str(raw, 'type', 'ty');
  const isSnapshot = raw.stream_type === 'SNAPSHOT' || raw.st === 'SNAPSHOT';
  if (type === 'ticker') return { kind: 'ticker', ticker: parseTicker(raw), isSnapshot };
  if (type === 'trade') return { kind: 'trade', trade: parseTrade(raw), isSnapshot };
  if (type.startsWith('candle.')) return { kind: 'candle', unit: toCandleUnit(type), candle: parseCandle(raw), isSnapshot };
  if (type === 'myOrder') return { kind: 'order', ...parseMyOrder(raw) };
  if (type === 'myAsset') return { kind: 'balance', ...parseMyAsset(raw) };
  return { kind: 'unknown', type };
}

// {"type":"ticker","code":"KRW-BTC","trade_price":32287000,"prev_closing_price":31883000,"signed_change_rate":0.0126713295,
//  "acc_trade_price_24h":228827082483.7,"acc_trade_volume_24h":7158.8,"trade_timestamp":1676965262139,"market_state":"ACTIVE",
//  "delisting_date":null,"stream_type":"REALTIME"}   SIMPLE: {"ty":"ticker","cd":"KRW-BTC","tp":…,"pcp":…,"scr":…,"atp24h":…,"atv24h":…,"ttms":…,"ms":…,"dd":null}
export function parseTicker(raw: Raw): Ticker {
  const marketState = optStr(raw, 'market_state', 'ms');
  const delisting = pick(raw, 'delisting_date', 'dd');
  return {
    market: str(raw, 'code', 'cd'),
    price: num(raw, 'trade_price', 'tp'),
    prevClose: num(raw, 'prev_closing_price', 'pcp'),
    changeRate: num(raw, 'signed_change_rate', 'scr'),
    turnover24hKrw: num(raw, 'acc_trade_price_24h', 'atp24h'),
    volume24h: num(raw, 'acc_trade_volume_24h', 'atv24h'),
    tradeTime: num(raw, 'trade_timestamp', 'ttms'),
    ...(marketState === undefined ? {} : { marketState }),
    delistingDate: delisting === undefined || delisting === null ? null : String(delisting),
  };
}

// {"type":"trade","code":"KRW-BTC","trade_timestamp":1787728554797,"trade_price":109847000.0,"trade_volume":0.00509799,
//  "ask_bid":"ASK","sequential_id":17877285547970000,"stream_type":"SNAPSHOT"}   SIMPLE: {"ty":"trade","cd":…,"ttms":…,"tp":…,"tv":…,"ab":…,"sid":…}
export function parseTrade(raw: Raw): MarketTrade {
  return {
    market: str(raw, 'code', 'cd'),
    price: num(raw, 'trade_price', 'tp'),
    volume: num(raw, 'trade_volume', 'tv'),
    side: toSide(str(raw, 'ask_bid', 'ab')),
    time: num(raw, 'trade_timestamp', 'ttms'),
    sequentialId: num(raw, 'sequential_id', 'sid'),
  };
}

// {"type":"candle.1m","code":"KRW-BTC","candle_date_time_utc":"2026-03-27T00:00:00","opening_price":100.0,"high_price":102.0,
//  "low_price":99.0,"trade_price":101.5,"candle_acc_trade_volume":2.2,"candle_acc_trade_price":220.0,"stream_type":"REALTIME"}
//  SIMPLE: {"ty":"candle.1m","cd":…,"cdttmu":…,"op":…,"hp":…,"lp":…,"tp":…,"catv":…,"catp":…,"st":…}
export function parseCandle(raw: Raw): Candle {
  const utc = str(raw, 'candle_date_time_utc', 'cdttmu');
  const openTime = Date.parse(`${utc}Z`);
  if (!Number.isFinite(openTime)) throw new StreamMessageInvalid(`Candle time is not a date: ${utc}`);
  return {
    market: str(raw, 'code', 'cd'),
    openTime,
    open: num(raw, 'opening_price', 'op'),
    high: num(raw, 'high_price', 'hp'),
    low: num(raw, 'low_price', 'lp'),
    close: num(raw, 'trade_price', 'tp'),
    volume: num(raw, 'candle_acc_trade_volume', 'catv'),
    turnoverKrw: num(raw, 'candle_acc_trade_price', 'catp'),
  };
}

const ORDER_KINDS: Record<string, OrderKind> = { limit: 'limit', price: 'market', market: 'market', best: 'best' };
const ORDER_STATES: Record<string, OrderState> = {
  wait: 'open', watch: 'open', trade: 'open', done: 'done', cancel: 'cancelled', prevented: 'cancelled',
};

// {"type":"myOrder","code":"KRW-XRP","uuid":"ac2d…","ask_bid":"BID","order_type":"limit","state":"trade","trade_uuid":"6831…",
//  "price":4000,"volume":10,"remaining_volume":15,"executed_volume":10,"trades_count":1,"paid_fee":20,"locked":60030,
//  "identifier":"cb-1","trade_timestamp":1710751590421,"order_timestamp":1710751590000}   (price/volume are the fill's when state=trade)
export function parseMyOrder(raw: Raw): { order: Order; fill: Fill | null } {
  const rawState = str(raw, 'state', 's');
  const isTrade = rawState === 'trade';
  const side = toSide(str(raw, 'ask_bid', 'ab'));
  const fill: Fill | null = isTrade
    ? {
        tradeId: str(raw, 'trade_uuid', 'tuid'),
        price: num(raw, 'price', 'p'),
        volume: num(raw, 'volume', 'v'),
        funds: num(raw, 'price', 'p') * num(raw, 'volume', 'v'),
        time: num(raw, 'trade_timestamp', 'ttms'),
        side,
      }
    : null;
  const tif = optStr(raw, 'time_in_force', 'tif');
  const order: Order = {
    id: str(raw, 'uuid', 'uid'),
    identifier: optStr(raw, 'identifier', 'id') ?? null,
    market: str(raw, 'code', 'cd'),
    side,
    kind: ORDER_KINDS[str(raw, 'order_type', 'ot')] ?? 'limit',
    state: ORDER_STATES[rawState] ?? 'open',
    price: isTrade ? null : optNum(raw, 'price', 'p'),
    volume: isTrade ? null : optNum(raw, 'volume', 'v'),
    executedVolume: num(raw, 'executed_volume', 'ev'),
    remainingVolume: optNum(raw, 'remaining_volume', 'rv') ?? 0,
    paidFee: optNum(raw, 'paid_fee', 'pf') ?? 0,
    reservedFee: optNum(raw, 'reserved_fee', 'rsf') ?? 0,
    remainingFee: optNum(raw, 'remaining_fee', 'rmf') ?? 0,
    locked: optNum(raw, 'locked', 'l') ?? 0,
    tradesCount: optNum(raw, 'trades_count', 'tc') ?? 0,
    timeInForce: tif === 'ioc' || tif === 'fok' || tif === 'post_only' ? (tif as TimeInForce) : null,
    createdAt: optNum(raw, 'order_timestamp', 'otms') ?? num(raw, 'timestamp', 'tms'),
    fills: fill ? [fill] : [],
    raw,
  };
  return { order, fill };
}

// {"type":"myAsset","asset_uuid":"e635…","assets":[{"currency":"KRW","balance":1386929.37,"locked":10329.67}],
//  "asset_timestamp":1710146517259,"timestamp":1710146517267}   SIMPLE: {"ty":"myAsset","ast":[{"cu":…,"b":…,"l":…}],"asttms":…}
export function parseMyAsset(raw: Raw): { balances: Balance[]; time: number } {
  const assets = pick(raw, 'assets', 'ast');
  if (!Array.isArray(assets)) throw new StreamMessageInvalid('myAsset message has no assets list');
  const balances = assets.map((a: Raw) => ({
    currency: str(a, 'currency', 'cu'),
    free: num(a, 'balance', 'b'),
    locked: num(a, 'locked', 'l'),
    avgBuyPrice: Number.NaN,
  }));
  return { balances, time: optNum(raw, 'asset_timestamp', 'asttms') ?? num(raw, 'timestamp', 'tms') };
}

function toCandleUnit(type: string): StreamCandleUnit {
  const m = /^candle\.(\d+)([sm])$/.exec(type);
  if (!m) throw new StreamMessageInvalid(`Unknown candle type: ${type}`);
  if (m[2] === 's') return 'second';
  const minutes = Number(m[1]);
  if (![1, 3, 5, 10, 15, 30, 60, 240].includes(minutes)) throw new StreamMessageInvalid(`Unknown candle type: ${type}`);
  return minutes as StreamCandleUnit;
}

function toSide(askBid: string): Side {
  if (askBid === 'BID') return 'buy';
  if (askBid === 'ASK') return 'sell';
  throw new StreamMessageInvalid(`Unknown ask_bid value: ${askBid}`);
}

const pick = (raw: Raw, key: string, short: string): unknown => (key in raw ? raw[key] : raw[short]);

function num(raw: Raw, key: string, short: string): number {
  const v = pick(raw, key, short);
  if (typeof v !== 'number') throw new StreamMessageInvalid(`Field ${key} (${short}) is not a number: ${String(v)}`);
  return v;
}
function optNum(raw: Raw, key: string, short: string): number | null {
  const v = pick(raw, key, short);
  return typeof v === 'number' ? v : null;
}
function str(raw: Raw, key: string, short: string): string {
  const v = pick(raw, key, short);
  if (typeof v !== 'string') throw new StreamMessageInvalid(`Field ${key} (${short}) is not a string: ${String(v)}`);
  return v;
}
function optStr(raw: Raw, key: string, short: string): string | undefined {
  const v = pick(raw, key, short);
  return typeof v === 'string' ? v : undefined;
}
