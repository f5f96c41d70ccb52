// Exit rules — take-profit, stop-loss, trailing stop, max holding time — for a price update or a whole candle.
import type { ExitReason } from './types.ts';

export type ExitSettings = {
  /** 0.03 = take profit at +3%. */
  profitRate: number;
  /** -0.02 = stop loss at −2%. */
  lossRate: number;
  /** Fraction below the highest price since entry (0.01 = 1%); null disables. */
  trailingStop: number | null;
  maxHoldMinutes: number | null;
};

/**
 * Mutable exit state of one position. The checks raise `highPrice` and, when they return a reason,
 * write the price to sell at into `exitPrice`; nothing else is touched.
 */
export type ExitLevels = {
  entryPrice: number;
  takeProfit: number;
  stopLoss: number;
  /** Trailing fraction, 0 when off. */
  trailingStop: number;
  /** Highest price seen since entry (starts at the entry price). */
  highPrice: number;
  /** Max-hold deadline, UTC epoch ms; Infinity when off. */
  expiresAt: number;
  exitPrice: number;
};

export type ExitDecision = { reason: ExitReason; price: number; time: number };

export const EXIT_NONE = 0;
export const EXIT_TAKE_PROFIT = 1;
export const EXIT_STOP_LOSS = 2;
export const EXIT_TRAILING_STOP = 3;
export const EXIT_MAX_HOLD = 4;
export const EXIT_END_OF_DATA = 5;
export const EXIT_MANUAL = 6;
/** Reason names by code; index 0 (EXIT_NONE) has none. */
export const EXIT_REASONS: ReadonlyArray<ExitReason | null> = [
  null,
  'take-profit',
  'stop-loss',
  'trailing-stop',
  'max-hold',
  'end-of-data',
  'manual',
];

/** Fills `levels` for a position entered at entryPrice at entryTime (UTC epoch ms); returns it. */
export function resetLevels(levels: ExitLevels, entryPrice: number, entryTime: number, s: ExitSettings): ExitLevels {
  levels.entryPrice = entryPrice;
  levels.takeProfit = entryPrice * (1 + s.profitRate);
  levels.stopLoss = entryPrice * (1 + s.lossRate);
  levels.trailingStop = s.trailingStop ?? 0;
  levels.highPrice = entryPrice;
  levels.expiresAt = s.maxHoldMinutes === null ? Number.POSITIVE_INFINITY : entryTime + s.maxHoldMinutes * 60_000;
  levels.exitPrice = Number.NaN;
  return levels;
}

export const openLevels = (entryPrice: number, entryTime: number, s: ExitSettings): ExitLevels =>
  resetLevels(
    { entryPrice: 0, takeProfit: 0, stopLoss: 0, trailingStop: 0, highPrice: 0, expiresAt: 0, exitPrice: 0 },
    entryPrice,
    entryTime,
    s,
  );

/**
 * The trailing stop price, or −Infinity while it is not armed. Choice (documented in the report): the
 * trailing stop arms once highPrice × (1 − trailingStop) ≥ entryPrice — it only ever locks in at least
 * break-even; until then the fixed stop-loss alone protects the position (Freqtrade's
 * trailing_only_offset_is_reached with the offset equal to the trailing distance).
 */
export function trailingLevel(L: ExitLevels): number {
  if (L.trailingStop <= 0) return Number.NEGATIVE_INFINITY;
  const level = L.highPrice * (1 - L.trailingStop);
  return level >= L.entryPrice ? level : Number.NEGATIVE_INFINITY;
}

/**
 * Live check at one price update (the bot calls it on every price). Order: stop (trailing, then fixed),
 * take-profit, then max-hold; the exit price is the price itself. Raises highPrice after the stop checks.
 */
export function priceExitCode(L: ExitLevels, price: number, now: number): number {
  const trail = trailingLevel(L);
  let code = EXIT_NONE;
  if (price <= trail) code = EXIT_TRAILING_STOP;
  else if (price <= L.stopLoss) code = EXIT_STOP_LOSS;
  else if (price >= L.takeProfit) code = EXIT_TAKE_PROFIT;
  else {
    if (price > L.highPrice) L.highPrice = price;
    if (now >= L.expiresAt) code = EXIT_MAX_HOLD;
  }
  if (code !== EXIT_NONE) L.exitPrice = price;
  return code;
}

/**
 * Backtest check of one candle (openTime = its start). Levels come from the state before the candle:
 * 1. at the open: a gap through the stop or the take-profit, or an expired max-hold, sells at the open;
 * 2. inside: stop first when the low reaches it (at the stop level), else take-profit at its level;
 * 3. the high then raises the trailing watermark; since the close comes after the high, a close at or
 *    below the raised trailing level means it was crossed inside the candle: sell at that level.
 */
export function barExitCode(L: ExitLevels, openTime: number, open: number, high: number, low: number, close: number): number {
  const trail = trailingLevel(L);
  const stop = trail > L.stopLoss ? trail : L.stopLoss;
  const stopCode = trail > L.stopLoss ? EXIT_TRAILING_STOP : EXIT_STOP_LOSS;
  if (open <= stop) return exitAt(L, stopCode, open);
  if (open >= L.takeProfit) return exitAt(L, EXIT_TAKE_PROFIT, open);
  if (openTime >= L.expiresAt) return exitAt(L, EXIT_MAX_HOLD, open);
  if (low <= stop) return exitAt(L, stopCode, stop);
  if (high >= L.takeProfit) return exitAt(L, EXIT_TAKE_PROFIT, L.takeProfit);
  if (high > L.highPrice) {
    L.highPrice = high;
    const raised = trailingLevel(L);
    if (raised > stop && close <= raised) return exitAt(L, EXIT_TRAILING_STOP, raised);
  }
  return EXIT_NONE;
}

function exitAt(L: ExitLevels, code: number, price: number): number {
  L.exitPrice = price;
  return code;
}

const decision = (L: ExitLevels, code: number, time: number): ExitDecision | null =>
  code === EXIT_NONE ? null : { reason: EXIT_REASONS[code]!, price: L.exitPrice, time };

/** Live bot entry point: the sell decision at this price update, or null. Updates L.highPrice. */
export const checkPrice = (L: ExitLevels, price: number, now: number): ExitDecision | null =>
  decision(L, priceExitCode(L, price, now), now);

export type OhlcCandle = { openTime: number; open: number; high: number; low: number; close: number };

/** Backtester entry point: the sell decision inside this candle (time = its openTime), or null. */
export const checkCandle = (L: ExitLevels, c: OhlcCandle): ExitDecision | null =>
  decision(L, barExitCode(L, c.openTime, c.open, c.high, c.low, c.close), c.openTime);
