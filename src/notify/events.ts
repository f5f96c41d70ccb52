// Typed bot events: what the bot tells its owner. Formatted by notify/format.ts, delivered through the outbox.
import type { ExitReason as StrategyExitReason, MarketCode } from '../core/types.ts';
import type { TradingMode } from '../bot/view.ts';

export type { TradingMode };

/** Every event says which mode produced it and when (UTC epoch ms). */
type Base = { mode: TradingMode; at: number };

/** The strategy's exit reasons plus 'external' (sold outside the bot, found by reconcile). */
export type ExitReason = StrategyExitReason | 'external';

/** Why the bot halted; each code has a localized "what to do" line in the formatter. */
export type HaltCode = 'auth-failed' | 'ip-not-allowed' | 'out-of-scope' | 'repeated-errors' | 'manual' | 'other';

export type AdviserPick = { name: string; pick: MarketCode; confidence: number | null };

export type StartedEvent = Base & { type: 'started'; version?: string };
export type StoppedEvent = Base & { type: 'stopped'; reason: string };
export type BuyEvent = Base & {
  type: 'buy';
  market: MarketCode;
  price: number;
  amountKrw: number;
  volume: number;
  /** 'signal' for a strategy entry; anything else is shown as given. */
  reason: 'signal' | 'manual';
  /** volume[i] / mean of the previous four, when the entry came from a spike. */
  signalRatio?: number | null;
  adviser?: AdviserPick | null;
};
export type SellEvent = Base & {
  type: 'sell';
  market: MarketCode;
  price: number;
  volume: number;
  pnlKrw: number;
  /** Fraction: 0.0123 is +1.23 %. */
  pnlRate: number;
  reason: ExitReason;
};
export type DailyLimitHitEvent = Base & { type: 'daily-limit-hit'; day: string; realisedKrw: number; limitKrw: number };
export type DailyLimitResetEvent = Base & { type: 'daily-limit-reset'; day: string };
export type HaltedEvent = Base & { type: 'halted'; code: HaltCode; detail: string };
export type ResumedEvent = Base & { type: 'resumed'; by: string; from: 'paused' | 'halted' };
export type PausedEvent = Base & { type: 'paused'; by: string; reason?: string | null };
export type ReconcileDiscrepancyEvent = Base & {
  type: 'reconcile-discrepancy';
  /** e.g. 'balance-mismatch', 'external-sell', 'unknown-holding', 'order-state'. */
  kind: string;
  market?: MarketCode | null;
  details: string;
};
export type DailySummaryEvent = Base & {
  type: 'daily-summary';
  day: string;
  trades: number;
  wins: number;
  losses: number;
  pnlKrw: number;
  equityKrw: number;
};
export type FeedDownEvent = Base & { type: 'feed-down'; detail: string };
export type FeedUpEvent = Base & { type: 'feed-up'; downMs: number };
/** A strategy exit that did not go through (the db refused its row, the exchange refused the sell…); retried until it does. */
export type ExitFailedEvent = Base & {
  type: 'exit-failed';
  market: MarketCode;
  reason: StrategyExitReason;
  detail: string;
  /** Failed attempts of this exit so far. */
  failures: number;
  retryInMs: number;
};
export type OrderUnknownEvent = Base & {
  type: 'order-unknown';
  market: MarketCode;
  side: 'buy' | 'sell';
  identifier: string;
  detail: string;
};

export type BotEvent =
  | StartedEvent
  | StoppedEvent
  | BuyEvent
  | SellEvent
  | DailyLimitHitEvent
  | DailyLimitResetEvent
  | HaltedEvent
  | ResumedEvent
  | PausedEvent
  | ReconcileDiscrepancyEvent
  | DailySummaryEvent
  | FeedDownEvent
  | FeedUpEvent
  | OrderUnknownEvent
  | ExitFailedEvent;

export type BotEventType = BotEvent['type'];
export type EventOf<K extends BotEventType> = Extract<BotEvent, { type: K }>;

export type EventLevel = 'debug' | 'info' | 'warn' | 'error';

/** How loud each event is in the events table (the dashboard's log viewer). */
export const EVENT_LEVEL: Readonly<Record<BotEventType, EventLevel>> = {
  started: 'info',
  stopped: 'info',
  buy: 'info',
  sell: 'info',
  'daily-limit-hit': 'warn',
  'daily-limit-reset': 'info',
  halted: 'error',
  resumed: 'info',
  paused: 'info',
  'reconcile-discrepancy': 'warn',
  'daily-summary': 'info',
  'feed-down': 'warn',
  'feed-up': 'info',
  'order-unknown': 'warn',
  'exit-failed': 'error',
};
