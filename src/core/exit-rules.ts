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

/** Slots of one position's exit levels in a Float64Array record (the strategy keeps one per market). */
export const LV_ENTRY = 0;
export const LV_TAKE_PROFIT = 1;
export const LV_STOP_LOSS = 2;
/** Trailing fraction, 0 when off. */
export const LV_TRAILING = 3;
/** Highest price seen since entry. */
export const LV_HIGH = 4;
/** Max-hold deadline, UTC epoch ms; Infinity when off. */
export const LV_EXPIRES = 5;
export const LV_EXIT_PRICE = 6;
export const LV_STRIDE = 8;

/** Fills the record at lv[k..] for a position entered at entryPrice at entryTime (UTC epoch ms). */
export function resetLevelsAt(lv: Float64Array, k: number, entryPrice: number, entryTime: number, s: ExitSettings): void {
  lv[k + LV_ENTRY] = entryPrice;
  lv[k + LV_TAKE_PROFIT] = entryPrice * (1 + s.profitRate);
  lv[k + LV_STOP_LOSS] = entryPrice * (1 + s.lossRate);
  lv[k + LV_TRAILING] = s.trailingStop ?? 0;
  lv[k + LV_HIGH] = entryPrice;
  lv[k + LV_EXPIRES] = s.maxHoldMinutes === null ? Number.POSITIVE_INFINITY : entryTime + s.maxHoldMinutes * 60_000;
  lv[k + LV_EXIT_PRICE] = Number.NaN;
}

/**
 * The trailing stop price, or −Infinity while it is not armed. Choice (documented in the report): the
 * trailing stop arms once highPrice × (1 − trailingStop) ≥ entryPrice — it only ever locks in at least
 * break-even; until then the fixed stop-loss alone protects the position (Freqtrade's
 * trailing_only_offset_is_reached with the offset equal to the trailing distance).
 */
function trailingOf(highPrice: number, trailingStop: number, entryPrice: number): number {
  if (trailingStop <= 0) return Number.NEGATIVE_INFINITY;
  const level = highPrice * (1 - trailingStop);
  return level >= entryPrice ? level : Number.NEGATIVE_INFINITY;
}

export const trailingAt = (lv: Float64Array, k: number): number => trailingOf(lv[k + LV_HIGH]!, lv[k + LV_TRAILING]!, lv[k + LV_ENTRY]!);

/**
 * Live check at one price update (the bot calls it on every price). Order: stop (trailing, then fixed),
 * take-profit, then max-hold; the exit price is the price itself. Raises the high after the stop checks.
 */
export function priceExitAt(lv: Float64Array, k: number, price: number, now: number): number {
  const trail = trailingAt(lv, k);
  let code = EXIT_NONE;
  if (price <= trail) code = EXIT_TRAILING_STOP;
  else if (price <= lv[k + LV_STOP_LOSS]!) code = EXIT_STOP_LOSS;
  else if (price >= lv[k + LV_TAKE_PROFIT]!) code = EXIT_TAKE_PROFIT;
  else {
    if (price > lv[k + LV_HIGH]!) lv[k + LV_HIGH] = price;
    if (now >= lv[k + LV_EXPIRES]!) code = EXIT_MAX_HOLD;
  }
  if (code !== EXIT_NONE) lv[k + LV_EXIT_PRICE] = price;
  return code;
}

/**
 * Backtest check of one candle (openTime = its start). Levels come from the state before the candle:
 * 1. at the open: a gap through the stop or the take-profit, or an expired max-hold, sells at the open;
 * 2. inside: stop first when the low reaches it (at the stop level), else take-profit at its level;
 * 3. the high then raises the trailing watermark; since the close comes after the high, a close at or
 *    below the raised trailing level means it was crossed inside the candle: sell at that level.
 */
export function barExitAt(lv: Float64Array, k: number, openTime: number, open: number, high: number, low: number, close: number): number {
  const trail = trailingAt(lv, k);
  const fixed = lv[k + LV_STOP_LOSS]!;
  const takeProfit = lv[k + LV_TAKE_PROFIT]!;
  const stop = trail > fixed ? trail : fixed;
  const stopCode = trail > fixed ? EXIT_TRAILING_STOP : EXIT_STOP_LOSS;
  if (open <= stop) return exitAt(lv, k, stopCode, open);
  if (open >= takeProfit) return exitAt(lv, k, EXIT_TAKE_PROFIT, open);
  if (openTime >= lv[k + LV_EXPIRES]!) return exitAt(lv, k, EXIT_MAX_HOLD, open);
  if (low <= stop) return exitAt(lv, k, stopCode, stop);
  if (high >= takeProfit) return exitAt(lv, k, EXIT_TAKE_PROFIT, takeProfit);
  if (high > lv[k + LV_HIGH]!) {
    lv[k + LV_HIGH] = high;
    const raised = trailingAt(lv, k);
    if (raised > stop && close <= raised) return exitAt(lv, k, EXIT_TRAILING_STOP, raised);
  }
  return EXIT_NONE;
}

function exitAt(lv: Float64Array, k: number, code: number, price: number): number {
  lv[k + LV_EXIT_PRICE] = price;
  return code;
}

// The object form (ExitLevels) for callers outside the strategy: the same rules run on a scratch record.
const scratch = new Float64Array(LV_STRIDE);

function load(L: ExitLevels): Float64Array {
  scratch[LV_ENTRY] = L.entryPrice;
  scratch[LV_TAKE_PROFIT] = L.takeProfit;
  scratch[LV_STOP_LOSS] = L.stopLoss;
  scratch[LV_TRAILING] = L.trailingStop;
  scratch[LV_HIGH] = L.highPrice;
  scratch[LV_EXPIRES] = L.expiresAt;
  scratch[LV_EXIT_PRICE] = L.exitPrice;
  return scratch;
}

function store(L: ExitLevels): void {
  L.entryPrice = scratch[LV_ENTRY]!;
  L.takeProfit = scratch[LV_TAKE_PROFIT]!;
  L.stopLoss = scratch[LV_STOP_LOSS]!;
  L.trailingStop = scratch[LV_TRAILING]!;
  L.highPrice = scratch[LV_HIGH]!;
  L.expiresAt = scratch[LV_EXPIRES]!;
  L.exitPrice = scratch[LV_EXIT_PRICE]!;
}

/** Fills `levels` for a position entered at entryPrice at entryTime (UTC epoch ms); returns it. */
export function resetLevels(levels: ExitLevels, entryPrice: number, entryTime: number, s: ExitSettings): ExitLevels {
  resetLevelsAt(scratch, 0, entryPrice, entryTime, s);
  store(levels);
  return levels;
}

export const openLevels = (entryPrice: number, entryTime: number, s: ExitSettings): ExitLevels =>
  resetLevels(
    { entryPrice: 0, takeProfit: 0, stopLoss: 0, trailingStop: 0, highPrice: 0, expiresAt: 0, exitPrice: 0 },
    entryPrice,
    entryTime,
    s,
  );

/** The trailing stop price of L, or −Infinity while it is not armed (see trailingOf). */
export const trailingLevel = (L: ExitLevels): number => trailingOf(L.highPrice, L.trailingStop, L.entryPrice);

/** priceExitAt on an ExitLevels object. */
export function priceExitCode(L: ExitLevels, price: number, now: number): number {
  const code = priceExitAt(load(L), 0, price, now);
  store(L);
  return code;
}

/** barExitAt on an ExitLevels object. */
export function barExitCode(L: ExitLevels, openTime: number, open: number, high: number, low: number, close: number): number {
  const code = barExitAt(load(L), 0, openTime, open, high, low, close);
  store(L);
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
