// The strategy's settings (mirroring config), the config mapping, and the contract of its state machine (core/decide.ts).
import type { ExitSettings } from './exit-rules.ts';
import type { SpikeSettings } from './spike.ts';
import type { CandidateBuffer, EventBuffer } from './decide-events.ts';
import type { MarketFlags, RiskSettings } from './risk.ts';
import { FEE_RATE } from './ticks.ts';
import type { MarketCode, Verdict } from './types.ts';

export type StrategySettings = ExitSettings &
  RiskSettings &
  SpikeSettings & {
    /** KRW spent per entry (INVESTMENT_AMOUNT). */
    investmentKrw: number;
    /** Fee fraction on both sides (0.0005). */
    feeRate: number;
  };

/** The config fields the strategy reads (structurally matches src/config.ts Config; core cannot import it). */
export type StrategyConfig = {
  INVESTMENT_AMOUNT: number;
  PROFIT_RATE: number;
  LOSS_RATE: number;
  TRAILING_STOP: number | null;
  MAX_HOLD_MINUTES: number | null;
  DAILY_LOSS_LIMIT: number;
  MAX_POSITIONS: number;
  VOLUME_SPIKE_THRESHOLD: number;
  PRICE_CHANGE_LIMIT: number;
  COOLDOWN_MINUTES: number;
};

export const toStrategySettings = (c: StrategyConfig, feeRate = FEE_RATE): StrategySettings => ({
  investmentKrw: c.INVESTMENT_AMOUNT,
  profitRate: c.PROFIT_RATE,
  lossRate: c.LOSS_RATE,
  trailingStop: c.TRAILING_STOP,
  maxHoldMinutes: c.MAX_HOLD_MINUTES,
  dailyLossLimit: c.DAILY_LOSS_LIMIT,
  maxPositions: c.MAX_POSITIONS,
  volumeSpikeThreshold: c.VOLUME_SPIKE_THRESHOLD,
  priceChangeLimit: c.PRICE_CHANGE_LIMIT,
  cooldownMinutes: c.COOLDOWN_MINUTES,
  feeRate,
});

/** The defaults of DESIGN.md "Strategy semantics". */
export const DEFAULT_STRATEGY_SETTINGS: Readonly<StrategySettings> = Object.freeze({
  investmentKrw: 100_000,
  profitRate: 0.03,
  lossRate: -0.02,
  trailingStop: null,
  maxHoldMinutes: null,
  dailyLossLimit: -50_000,
  maxPositions: 3,
  volumeSpikeThreshold: 2.0,
  priceChangeLimit: 0.05,
  cooldownMinutes: 30,
  feeRate: FEE_RATE,
});

export type StrategyOptions = {
  /** Market codes; a market's index in this list is its id in every call. */
  markets: readonly MarketCode[];
  /**
   * 'simulated' (backtest): a pending entry fills at the market's next input (candle open or tick price),
   * exits fill at the rule's price. 'external' (live): entries and exits are intents the caller confirms.
   */
  fills?: 'simulated' | 'external';
  /** Starting free KRW (default Infinity); live callers resync with setFreeKrw. */
  initialKrw?: number;
  /** true (default): enter the top candidate at each close; false: the caller picks with enter() (adviser). */
  autoEnter?: boolean;
  /** Candle bucket (default 5 min); set to the data's own interval for coarser data. */
  intervalMs?: number;
};

export type PositionSnapshot = {
  market: MarketCode;
  state: 'pending' | 'open' | 'exiting';
  entryPrice: number;
  volume: number;
  costKrw: number;
  buyFeeKrw: number;
  entryTime: number;
  takeProfit: number;
  stopLoss: number;
  highPrice: number;
  expiresAt: number;
};

export type StrategyStats = {
  /** Free KRW minus what pending entries reserve. */
  freeKrw: number;
  openPositions: number;
  pendingEntries: number;
  realisedPnlTodayKrw: number;
  realisedPnlTotalKrw: number;
  /** Inputs older than the last evaluated close, ignored. */
  lateInputs: number;
};

export type Strategy = {
  /** Market codes by index; the same array for the strategy's life (addMarket appends to it). */
  readonly markets: readonly MarketCode[];
  /** Written by each call below (count reset at its start). Its arrays are replaced when addMarket grows them. */
  readonly events: EventBuffer;
  /** Ranked candidates of the last evaluated close. */
  readonly candidates: CandidateBuffer;
  /** Feeds one 1-minute (or coarser) candle of market m; returns events.count. Hot path: allocates nothing. */
  candle(m: number, openTime: number, open: number, high: number, low: number, close: number, volume: number): number;
  /** Feeds one price update (volume 0 = price only, not aggregated); returns events.count. */
  tick(m: number, time: number, price: number, volume: number): number;
  /**
   * Live: a price update for exits only — never aggregated, never evaluates a close (the live bot feeds
   * closed candles and calls closeUpTo itself). Returns events.count.
   */
  price(m: number, time: number, price: number): number;
  /** Live: a position closed outside the strategy (sold elsewhere, dust): drop it without booking PnL. */
  forgetPosition(m: number): boolean;
  /** Evaluates the close of every bucket ending at or before time (the live bot calls it at each 5-minute close). */
  closeUpTo(time: number): number;
  /** The adviser's pick among the current candidates (once per close); on success an EV_ENTRY event. */
  enter(m: number, now: number): Verdict;
  confirmEntry(m: number, avgPrice: number, volume: number, feeKrw: number, time: number): boolean;
  cancelEntry(m: number): boolean;
  /** A manual sell: EV_EXIT with reason 'manual' (simulated: done at price; external: an intent). */
  requestExit(m: number, price: number, time: number): boolean;
  /** External fills: the sell filled; returns the realised PnL (NaN when m had no position). */
  confirmExit(m: number, avgPrice: number, feeKrw: number, time: number): number;
  cancelExit(m: number): boolean;
  /** End of data: sells every open position at its last close (reason 'end-of-data'), drops pending entries. */
  closeAll(time: number): number;
  /** Restores an open position at startup (cash untouched). */
  restorePosition(m: number, avgPrice: number, volume: number, feeKrw: number, entryTime: number, highPrice?: number): void;
  /**
   * Live, at startup or sync: an entry whose order outcome is still unknown (db state 'opening') holds its slot as a
   * pending entry (counted by max positions, its KRW reserved); confirmEntry / forgetPosition resolve it. False when m
   * already has a position or pending entry (nothing changes).
   */
  restorePending(m: number): boolean;
  restoreCooldown(m: number, lastStopLossAt: number): void;
  /**
   * Live: the previous UTC day's close of m (Upbit's prev_closing_price) when the history fed does not reach
   * back to 00:00 UTC. Feed history candles first; the next UTC midnight then rolls it as usual.
   */
  restorePrevDayClose(m: number, close: number, now: number): void;
  restoreDay(realisedPnlTodayKrw: number, now: number): void;
  setFlags(m: number, flags: MarketFlags): void;
  setFreeKrw(krw: number): void;
  marketIndex(code: MarketCode): number;
  /**
   * A market listed after the strategy was made (live: a new Upbit listing). Returns its index: the existing one for
   * a known code (nothing changes), else the next index n. Earlier indices, positions and history are untouched; the
   * new market starts with no input, no flags and no position, and needs its previous buckets like any market: until
   * its first evaluated close, candle() takes its candles older than the last close too (its backfill, oldest first)
   * into those buckets. Allocates when the capacity doubles; the events/candidates arrays may be replaced.
   */
  addMarket(code: MarketCode): number;
  position(m: number): PositionSnapshot | null;
  /** The highest price since entry of m's open (or exiting) position, NaN otherwise; what position(m).highPrice says, without allocating. */
  highPrice(m: number): number;
  stats(): StrategyStats;
  /** The last risk refusal (EV_ENTRY_REFUSED), or null. */
  lastRefusal(): Verdict | null;
};
