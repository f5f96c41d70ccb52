// Contracts between the simulator's parts: the market model (prices, candles, book), the WebSocket hub, the server.
import type { ServerWebSocket, WebSocketHandler } from 'bun';

export type SimMarketInfo = {
  market: string;
  koreanName: string;
  englishName: string;
  /** market_event.warning */
  isWarning: boolean;
  /** Caution flag names that are true, e.g. ["PRICE_FLUCTUATIONS"]. */
  cautions: string[];
  /** True for generated markets (their names say so, e.g. KRW-SYN001). */
  isSynthetic: boolean;
};

export type SimCandle = {
  /** Bucket start, UTC epoch ms. */
  openTime: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  turnoverKrw: number;
  /** Time of the last trade in the bucket (Upbit's candle `timestamp`). */
  lastTradeTime: number;
};

export type SimTrade = {
  market: string;
  time: number;
  price: number;
  volume: number;
  side: 'buy' | 'sell';
  sequentialId: number;
};

export type SimTickerStats = {
  market: string;
  price: number;
  tradeTime: number;
  tradeVolume: number;
  /** UTC-day (09:00 KST) open/high/low and the previous UTC day's close. */
  open: number;
  high: number;
  low: number;
  prevClose: number;
  accVolume: number;
  accTurnover: number;
  accVolume24h: number;
  accTurnover24h: number;
  high52w: number;
  high52wDate: string;
  low52w: number;
  low52wDate: string;
};

export type SimBookLevel = { askPrice: number; askSize: number; bidPrice: number; bidSize: number };

/** Read-only view of the simulated market at a given time. Deterministic for a given seed and data. */
export interface MarketModel {
  listMarkets(): SimMarketInfo[];
  hasMarket(market: string): boolean;
  /** First and last time the model has data for (epoch ms). */
  span(): { from: number; to: number };
  /** Last trade price at or before t; throws for an unknown market. */
  lastPrice(market: string, t: number): number;
  /**
   * Candles of `unitSec` seconds (1, 60, 180, …, 14400, 86400): buckets starting before `toExclusive`
   * and not after `t`, only buckets with trades, newest first, at most `count`. The bucket holding
   * `t` reflects trading up to `t` only.
   */
  candles(market: string, unitSec: number, toExclusive: number, count: number, t: number): SimCandle[];
  ticker(market: string, t: number): SimTickerStats;
  /** Up to `depth` levels, index 0 best; one-tick spread around lastPrice; sizes tied to recent volume. */
  orderbook(market: string, t: number, depth: number): SimBookLevel[];
  /** Trades with fromExclusive < time ≤ toInclusive, oldest first. */
  trades(market: string, fromExclusive: number, toInclusive: number): SimTrade[];
}

export type SimWsData = { id: number; isPrivate: boolean; accessKey: string | null };

/** The simulator's WebSocket side; the server upgrades requests and hands sockets to `handler`. */
export interface SimWsHub {
  handler: WebSocketHandler<SimWsData>;
  /** Pushes realtime ticker/trade/candle messages for everything that changed up to `now`. */
  publish(now: number): void;
  /** Pushes a private myOrder / myAsset payload (DEFAULT format keys) to that account's private sockets. */
  publishPrivate(accessKey: string, payload: Record<string, unknown>): void;
  /** Fault injection: closes every socket abruptly. */
  dropAll(): void;
  sockets(): ServerWebSocket<SimWsData>[];
}
