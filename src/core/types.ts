// Domain types in the app's own words (buy/sell), shared by core, exchange port, bot and backtester.

/** Market code, QUOTE-BASE upper case, e.g. "KRW-BTC". */
export type MarketCode = string;
export type Side = 'buy' | 'sell';

export type MarketInfo = {
  market: MarketCode;
  koreanName: string;
  englishName: string;
  /** Upbit "investment warning" (유의 종목). */
  isWarning: boolean;
  /** Names of caution flags that are set (주의 종목), e.g. ["PRICE_FLUCTUATIONS"]. */
  cautions: string[];
};

export type Candle = {
  market: MarketCode;
  /** Bucket start, UTC epoch ms. */
  openTime: number;
  open: number;
  high: number;
  low: number;
  close: number;
  /** Base-currency volume. */
  volume: number;
  /** KRW turnover (candle_acc_trade_price); NaN when the source does not carry it. */
  turnoverKrw: number;
};

export type Ticker = {
  market: MarketCode;
  price: number;
  /** Previous UTC-day close (Upbit's prev_closing_price; its day starts 09:00 KST). */
  prevClose: number;
  /** Signed change since prevClose, as a fraction (0.01 = +1%). */
  changeRate: number;
  /** 24-hour KRW turnover. */
  turnover24hKrw: number;
  volume24h: number;
  /** Time of the last trade, UTC epoch ms. */
  tradeTime: number;
  /** PREVIEW | ACTIVE | DELISTED when the source says; undefined otherwise. */
  marketState?: string;
  /** Delisting date when scheduled (WebSocket only). */
  delistingDate?: string | null;
};

export type OrderbookLevel = { askPrice: number; askSize: number; bidPrice: number; bidSize: number };

export type Orderbook = {
  market: MarketCode;
  time: number;
  /** Index 0 is the best level. */
  levels: OrderbookLevel[];
};

export type Balance = {
  currency: string;
  free: number;
  locked: number;
  avgBuyPrice: number;
  /** The exchange's raw strings, kept for audit. */
  raw?: { balance: string; locked: string; avgBuyPrice: string };
};

/** Our order kinds: a market buy spends a KRW amount; a market sell sells a volume. */
export type OrderKind = 'limit' | 'market' | 'best';
export type TimeInForce = 'ioc' | 'fok' | 'post_only';
export type OrderState = 'open' | 'done' | 'cancelled';

export type Fill = {
  /** Exchange trade id (unique). */
  tradeId: string;
  price: number;
  volume: number;
  /** KRW value of the fill (price × volume, before fees). */
  funds: number;
  time: number;
  side: Side;
};

export type Order = {
  id: string;
  identifier: string | null;
  market: MarketCode;
  side: Side;
  kind: OrderKind;
  state: OrderState;
  /** Limit price, or the KRW total of a market buy. */
  price: number | null;
  volume: number | null;
  executedVolume: number;
  remainingVolume: number;
  paidFee: number;
  reservedFee: number;
  remainingFee: number;
  locked: number;
  tradesCount: number;
  timeInForce: TimeInForce | null;
  createdAt: number;
  /** Present when the source returned trades (single-order lookup). */
  fills: Fill[];
  /** The raw exchange object, kept for the audit trail. */
  raw: unknown;
};

/** Outcome of a risk rule: allowed, or which rule refused and why (see core/risk.ts). */
export type Verdict = { ok: true } | { ok: false; reason: string; rule: string };

/** Why a position was (or is to be) sold. */
export type ExitReason = 'take-profit' | 'stop-loss' | 'trailing-stop' | 'max-hold' | 'end-of-data' | 'manual';

/** A volume-spike candidate at a 5-minute close (see core/spike.ts, core/decide.ts). */
export type Signal = {
  market: MarketCode;
  /** The boundary at which the candle closed, UTC epoch ms. */
  time: number;
  /** volume[i] / mean(volume[i-4..i-1]). */
  volumeRatio: number;
  close: number;
  prevDayClose: number;
};

/** An open position built from real fills (see core/portfolio.ts). */
export type Position = {
  market: MarketCode;
  volume: number;
  /** Average fill price of the buys (funds / volume). */
  avgEntryPrice: number;
  /** KRW paid for the volume, before fees. */
  costKrw: number;
  buyFeeKrw: number;
  openedAt: number;
};
