// What the outside (dashboard, JSON API, Telegram) may read from the bot and ask of it: read models and commands.
import type { MarketCode } from '../core/types.ts';

export type TradingMode = 'paper' | 'live' | 'demo';
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
