// The market-stream port: real-time prices and 5-minute candles for many markets over one connection.
import type { Candle, MarketCode, Ticker } from '../core/types.ts';

export type MarketStreamState = {
  /** True while a connection is open. */
  isUp: boolean;
  /** Last frame of any kind (heartbeats included), epoch ms of the stream's clock. */
  lastMessageAt: number | null;
  /** Times a connection has opened; above 1 the feed had gaps. */
  connects: number;
  /** Why the feed is not up ("closed 1006", "connecting"), null while up. */
  detail: string | null;
  /** The server's last refusal of our subscription (e.g. "… WRONG_FORMAT (…)"), until data flows again. */
  lastRefusal?: string | null;
};

export type MarketStreamHandlers = {
  /** Every trade-driven ticker (the first one per market after subscribing is a snapshot). */
  onTicker(ticker: Ticker): void;
  /**
   * The running state of a 5-minute UTC bucket (openTime = bucket start). The same bucket arrives
   * repeatedly while it is open and is cumulative: the latest one wins. A snapshot sent at subscribe
   * time is the current bucket, or the previous one when the current bucket has no trade yet.
   */
  onCandle5m(candle: Candle, isSnapshot: boolean): void;
  onState(state: MarketStreamState): void;
};

/** What to stream: prices for `prices`, 5-minute candles for `candles5m`. Replaces the previous set. */
export type MarketSubscription = { prices: MarketCode[]; candles5m: MarketCode[] };

export interface MarketStream {
  /** Connects (and keeps reconnecting) until stop(); handlers are fixed for the stream's life. */
  start(handlers: MarketStreamHandlers): void;
  stop(): Promise<void>;
  subscribe(subscription: MarketSubscription): void;
  state(): MarketStreamState;
}
