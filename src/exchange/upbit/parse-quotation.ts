// Pure parsers for Upbit Quotation responses (numbers on the wire) → port types in core/types.ts.
import { z } from 'zod';
import type { Candle, MarketInfo, Orderbook, Ticker } from '../../core/types.ts';
import { num, parseRows, parseWith, utcCandleTime, type SkippedRow } from './parse-util.ts';

const marketCode = z.string().regex(/^[A-Z0-9]+-[A-Z0-9]+$/, 'is not a QUOTE-BASE market code');

// GET /v1/market/all?is_details=true
// [{"market":"KRW-ETH","korean_name":"","english_name":"Ethereum",
//   "market_event":{"warning":true,"caution":{"PRICE_FLUCTUATIONS":false,"TRADING_VOLUME_SOARING":false,…}}}]
const marketSchema = z.object({
  market: marketCode,
  korean_name: z.string(),
  english_name: z.string(),
  market_event: z.object({ warning: z.boolean(), caution: z.record(z.string(), z.boolean()).default({}) }).optional(),
});

/** A row that does not parse is left out and passed to `onSkip` (a reply that is no array throws). */
export function parseMarkets(raw: unknown, onSkip?: (skipped: SkippedRow) => void): MarketInfo[] {
  return parseRows(marketSchema, raw, 'market list', onSkip).map((m) => ({
    market: m.market,
    koreanName: m.korean_name,
    englishName: m.english_name,
    isWarning: m.market_event?.warning ?? false,
    cautions: Object.entries(m.market_event?.caution ?? {})
      .filter(([, isSet]) => isSet)
      .map(([name]) => name),
  }));
}

// GET /v1/ticker?markets=KRW-BTC,KRW-ETH
// [{"market":"KRW-ETH","trade_timestamp":1751606040327,"trade_price":3510000,"prev_closing_price":3517000,
//   "signed_change_rate":-0.0019903327,"acc_trade_price_24h":111690309851.79362,"acc_trade_volume_24h":31689.60167858,…}]
const tickerSchema = z.object({
  market: marketCode,
  trade_timestamp: num,
  trade_price: num,
  prev_closing_price: num,
  signed_change_rate: num,
  acc_trade_price_24h: num,
  acc_trade_volume_24h: num,
  market_state: z.string().optional(),
});

/** A row that does not parse is left out and passed to `onSkip` (a reply that is no array throws). */
export function parseTickers(raw: unknown, onSkip?: (skipped: SkippedRow) => void): Ticker[] {
  return parseRows(tickerSchema, raw, 'ticker', onSkip).map((t) => {
    const ticker: Ticker = {
      market: t.market,
      price: t.trade_price,
      prevClose: t.prev_closing_price,
      changeRate: t.signed_change_rate,
      turnover24hKrw: t.acc_trade_price_24h,
      volume24h: t.acc_trade_volume_24h,
      tradeTime: t.trade_timestamp,
    };
    if (t.market_state !== undefined) ticker.marketState = t.market_state;
    return ticker;
  });
}

// GET /v1/candles/minutes/1 (also /seconds, /days; newest first)
// [{"market":"KRW-BTC","candle_date_time_utc":"2020-02-20T11:59:00","candle_date_time_kst":"2020-02-20T20:59:00",
//   "opening_price":11471000.0,"high_price":11471000.0,"low_price":11466000.0,"trade_price":11467000.0,
//   "timestamp":1582199998830,"candle_acc_trade_price":10876514.92147,"candle_acc_trade_volume":0.94820557,"unit":1}]
const candleSchema = z.object({
  market: marketCode,
  candle_date_time_utc: utcCandleTime,
  opening_price: num,
  high_price: num,
  low_price: num,
  trade_price: num,
  candle_acc_trade_price: num,
  candle_acc_trade_volume: num,
});

/** Candles in the order given (Upbit: newest first). */
export function parseCandles(raw: unknown): Candle[] {
  return parseWith(z.array(candleSchema), raw, 'candles').map((c) => ({
    market: c.market,
    openTime: c.candle_date_time_utc,
    open: c.opening_price,
    high: c.high_price,
    low: c.low_price,
    close: c.trade_price,
    volume: c.candle_acc_trade_volume,
    turnoverKrw: c.candle_acc_trade_price,
  }));
}

// GET /v1/orderbook?markets=KRW-BTC
// [{"market":"KRW-BTC","timestamp":1751606867762,"total_ask_size":10.37591054,"total_bid_size":9.49577219,
//   "orderbook_units":[{"ask_price":148520000,"bid_price":148490000,"ask_size":0.0134662,"bid_size":0.04296774}],"level":10000}]
const orderbookSchema = z.object({
  market: marketCode,
  timestamp: num,
  orderbook_units: z.array(z.object({ ask_price: num, bid_price: num, ask_size: num, bid_size: num })),
});

export function parseOrderbooks(raw: unknown): Orderbook[] {
  return parseWith(z.array(orderbookSchema), raw, 'orderbook').map((o) => ({
    market: o.market,
    time: o.timestamp,
    levels: o.orderbook_units.map((u) => ({ askPrice: u.ask_price, askSize: u.ask_size, bidPrice: u.bid_price, bidSize: u.bid_size })),
  }));
}

export type UpbitInstrument = { market: string; quoteCurrency: string; tickSize: number; supportedLevels: number[] };

// GET /v1/orderbook/instruments?markets=KRW-BTC (tick_size is documented as a string; fixtures show a number)
// [{"market":"KRW-BTC","quote_currency":"KRW","tick_size":1000,"supported_levels":["1"]}]
const instrumentSchema = z.object({
  market: marketCode,
  quote_currency: z.string(),
  tick_size: num.refine((n) => n > 0, 'must be positive'),
  supported_levels: z.array(num).default([]),
});

export function parseInstruments(raw: unknown): UpbitInstrument[] {
  return parseWith(z.array(instrumentSchema), raw, 'orderbook instruments').map((i) => ({
    market: i.market,
    quoteCurrency: i.quote_currency,
    tickSize: i.tick_size,
    supportedLevels: i.supported_levels,
  }));
}
