// The Exchange port: everything the app may ask of an exchange, in the app's words. Upbit, paper and fakes implement it.
import type { Balance, Candle, MarketCode, MarketInfo, Order, OrderKind, Orderbook, Side, Ticker, TimeInForce } from '../core/types.ts';

/** Candle interval: seconds, minutes (1,3,5,10,15,30,60,240) or days. */
export type CandleUnit = 'second' | 1 | 3 | 5 | 10 | 15 | 30 | 60 | 240 | 'day';

export type CandleQuery = {
  market: MarketCode;
  unit: CandleUnit;
  /** Exclusive end, UTC epoch ms; newest candles when absent. */
  to?: number;
  /** 1..200 (default 200). */
  count?: number;
};

export type PlaceOrderRequest = {
  market: MarketCode;
  side: Side;
  kind: OrderKind;
  /** Client order id; unique forever, [A-Za-z0-9._~-], ≤ 64 chars. Required: it is how an unknown outcome is resolved. */
  identifier: string;
  /** Limit price (limit orders). */
  price?: number;
  /** Base volume (limit orders, market/best sells). */
  volume?: number;
  /** KRW to spend (market/best buys). */
  amountKrw?: number;
  timeInForce?: TimeInForce;
};

/**
 * The result of placing an order. `unknown` means the request may or may not have reached the
 * exchange (timeout, 5xx, dropped connection): never re-post; resolve with findOrderByIdentifier.
 */
export type PlaceOrderResult =
  | { status: 'accepted'; order: Order }
  | { status: 'unknown'; identifier: string; cause: unknown };

export type OrderRef = { id: string } | { identifier: string };

export type ExchangeHealth = {
  /** True while the circuit breaker is open or a rate-limit block is in force. */
  isDegraded: boolean;
  reason: string | null;
  consecutiveFailures: number;
  /** When requests will be attempted again, epoch ms; null when not blocked. */
  retryAt: number | null;
};

export type OrderChance = {
  market: MarketCode;
  bidFeeRate: number;
  askFeeRate: number;
  minTotalKrw: number;
  maxTotalKrw: number;
  state: string;
};

/** Finished orders of the account (Upbit: GET /v1/orders/closed; one query spans at most 7 days, see upbit-api.md §5.6). */
export type ClosedOrdersQuery = {
  market?: MarketCode;
  states?: Array<'done' | 'cancel'>;
  /** UTC epoch ms; startTime..endTime spans at most 7 days. */
  startTime?: number;
  endTime?: number;
  /** 1..1000 (default 100). */
  limit?: number;
};

export interface Exchange {
  listMarkets(): Promise<MarketInfo[]>;
  fetchTickers(markets: MarketCode[]): Promise<Ticker[]>;
  fetchCandles(query: CandleQuery): Promise<Candle[]>;
  fetchOrderbooks(markets: MarketCode[]): Promise<Orderbook[]>;
  fetchBalances(): Promise<Balance[]>;
  fetchOrderChance(market: MarketCode): Promise<OrderChance>;
  /** Never retried internally. Rejections throw RejectedError; unknown outcomes return `unknown`. */
  placeOrder(request: PlaceOrderRequest): Promise<PlaceOrderResult>;
  /** Throws OrderNotFound when the exchange has no such order. Includes fills. */
  fetchOrder(ref: OrderRef): Promise<Order>;
  /** Resolves an unknown outcome: the order, or null when the exchange proves it absent. */
  findOrderByIdentifier(identifier: string): Promise<Order | null>;
  /** Asks for cancellation; the returned snapshot may still be open (cancellation is asynchronous). */
  cancelOrder(ref: OrderRef): Promise<Order>;
  fetchOpenOrders(market?: MarketCode): Promise<Order[]>;
  /**
   * Finished orders (done or cancelled), newest first, WITHOUT fills (fetchOrder has them). Optional: paper trading
   * has no orders but the bot's own, so it leaves this out.
   */
  fetchClosedOrders?(q: ClosedOrdersQuery): Promise<Order[]>;
  health(): ExchangeHealth;
}
