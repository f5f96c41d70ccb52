// What the outside (dashboard, JSON API, Telegram) may read from the bot and ask of it: read models and commands.
import type { MarketCode } from '../core/types.ts';

export type TradingMode = 'paper' | 'live' | 'demo';

/** A market as an owner types it (dashboard filter, Telegram, on a phone): "btc" or "krw-btc" → "KRW-BTC". */
export const toMarketCode = (raw: string): MarketCode => {
  const s = raw.trim().toUpperCase();
  return s.includes('-') ? s : `KRW-${s}`;
};
export type RunState = 'running' | 'paused' | 'halted';
export type FeedState = { isUp: boolean; lastTickAt: number | null; reconnects: number; detail: string | null };

export type BotStatus = {
  mode: TradingMode;
  state: RunState;
  stateReason: string | null;
  stateSince: number | null;
  krw: number;
  equity: number;
  todayPnl: number;
  dailyLossLimit: number;
  isDailyLimitHit: boolean;
  openPositions: number;
  maxPositions: number;
  winRate: number | null;
  tradeCount: number;
  feed: FeedState;
  exchange: { isDegraded: boolean; reason: string | null };
  lastHeartbeatAt: number | null;
  now: number;
};

export type PositionView = {
  id: number;
  market: MarketCode;
  state: 'opening' | 'open' | 'closing';
  volume: number;
  entryPrice: number | null;
  currentPrice: number | null;
  pnlKrw: number | null;
  pnlRate: number | null;
  takeProfitPrice: number | null;
  stopLossPrice: number | null;
  openedAt: number | null;
};

export type TradeView = {
  id: number;
  market: MarketCode;
  entryPrice: number;
  exitPrice: number;
  volume: number;
  entryCostKrw: number;
  pnlKrw: number;
  pnlRate: number;
  openedAt: number;
  closedAt: number;
  exitReason: string;
};

export type AdviserDecisionView = {
  id: number;
  at: number;
  adviser: string;
  candidates: unknown;
  pick: string | null;
  confidence: number | null;
  risk: string | null;
  reason: string | null;
  latencyMs: number | null;
  outcome: string;
  outcomeReason: string | null;
  pnlKrw: number | null;
};

export type EventView = { id: number; at: number; level: 'debug' | 'info' | 'warn' | 'error'; kind: string; message: string; data: unknown };
export type Page<T> = { items: T[]; total: number; limit: number; offset: number };

export interface BotQueries {
  status(): Promise<BotStatus>;
  positions(): Promise<PositionView[]>;
  trades(q: { limit: number; offset: number; market?: string; result?: 'win' | 'loss' }): Promise<Page<TradeView>>;
  adviserDecisions(q: { limit: number; offset: number }): Promise<Page<AdviserDecisionView>>;
  events(q: { limit: number; offset: number; minLevel?: EventView['level'] }): Promise<Page<EventView>>;
}

export type CommandResult = { ok: true; message: string } | { ok: false; message: string };

/** Owner commands; every one goes through bot/ so risk checks and the order lifecycle apply. */
export interface BotCommands {
  pause(by: string): Promise<CommandResult>;
  resume(by: string): Promise<CommandResult>;
  sellPosition(positionId: number, by: string): Promise<CommandResult>;
  sellAll(by: string): Promise<CommandResult>;
}

// ── Dashboard read models (additive): chart, statistics, daily PnL, adviser quota, effective settings ──

/** One candle of a chart; openTime is the bucket start in UTC epoch ms. */
export type ChartCandle = { openTime: number; open: number; high: number; low: number; close: number; volume: number };
/** A real fill of one of the bot's orders in the charted market. */
export type ChartFill = { at: number; side: 'buy' | 'sell'; price: number; volume: number; positionId: number | null };

export type ChartView = {
  market: MarketCode;
  /** Oldest first, one interval (5-minute candles in the live bot). */
  candles: ChartCandle[];
  /** Fills inside the candles' time span, oldest first. */
  fills: ChartFill[];
  /** Levels of the live position in this market, when one is open. */
  entryPrice: number | null;
  takeProfitPrice: number | null;
  stopLossPrice: number | null;
};

export type TradeFilter = { market?: string; result?: 'win' | 'loss' };

export type TradeStats = {
  count: number;
  wins: number;
  losses: number;
  /** wins ÷ count; null without trades. */
  winRate: number | null;
  avgWinKrw: number | null;
  avgLossKrw: number | null;
  totalPnlKrw: number;
  bestKrw: number | null;
  worstKrw: number | null;
};

/** Realised PnL of one Asia/Seoul calendar day ('YYYY-MM-DD'). */
export type DailyPnlView = { day: string; pnlKrw: number; trades: number; wins: number; losses: number };
/** One closed trade on the cumulative PnL curve. */
export type PnlPoint = { at: number; pnlKrw: number; cumulativeKrw: number };

export type AdviserQuotaView = { adviser: string; isEnabled: boolean; usedThisMonth: number; monthlyQuota: number };

/**
 * One effective configuration value. For a secret (isSecret) value is null when unset and any
 * non-null placeholder when set: the dashboard never renders a secret's value.
 */
export type SettingView = { key: string; value: string | null; isSecret: boolean };

/** Everything the dashboard reads: the bot read models plus the chart and statistics views. */
export interface DashboardQueries extends BotQueries {
  /** The last `limit` candles of a market with the bot's fills and the live position's levels. */
  chart(market: MarketCode, q: { limit: number }): Promise<ChartView>;
  /** Markets worth charting: open positions first, then recent adviser/spike candidates. */
  chartMarkets(): Promise<MarketCode[]>;
  tradeStats(q: TradeFilter): Promise<TradeStats>;
  /** Days with closed trades among the last `days` KST days (today included), oldest first. */
  dailyPnl(days: number): Promise<DailyPnlView[]>;
  /** The most recent `limit` closed trades, oldest first; cumulativeKrw runs over all trades. */
  pnlCurve(q: { limit: number }): Promise<PnlPoint[]>;
  adviserQuota(): Promise<AdviserQuotaView>;
  settings(): Promise<SettingView[]>;
}
