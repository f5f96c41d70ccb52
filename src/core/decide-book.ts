// Position and money bookkeeping of the strategy state machine: per-market position arrays, cash, KST-day PnL.
import { EXIT_STOP_LOSS, LV_ENTRY, LV_EXPIRES, LV_HIGH, LV_STOP_LOSS, LV_STRIDE, LV_TAKE_PROFIT, resetLevelsAt } from './exit-rules.ts';
import { kstDayNumber } from './risk.ts';
import type { PositionSnapshot, StrategySettings } from './strategy.ts';
import type { MarketCode } from './types.ts';

export const POS_NONE = 0;
export const POS_PENDING = 1;
export const POS_OPEN = 2;
/** External fills: a sell was asked for and awaits confirmExit / cancelExit. */
export const POS_EXITING = 3;

export type Book = {
  readonly state: Uint8Array;
  readonly volume: Float64Array;
  readonly cost: Float64Array;
  readonly buyFee: Float64Array;
  readonly entryTime: Float64Array;
  /** Exit code of a POS_EXITING market. */
  readonly exitCode: Int32Array;
  /** Time of the last stop-loss exit per market, NaN when none. */
  readonly lastStopAt: Float64Array;
  /** Exit levels per market: record m at m × LV_STRIDE (exit-rules LV_*). */
  readonly lv: Float64Array;
  /** KRW a pending entry reserves: amount plus fee. */
  readonly entryCost: number;
  cash: number;
  reserved: number;
  openCount: number;
  pendingCount: number;
  /** KST day number of `today`, NaN before the first event. */
  day: number;
  today: number;
  total: number;
};

export function createBook(n: number, s: StrategySettings, initialKrw: number): Book {
  return {
    state: new Uint8Array(n),
    volume: new Float64Array(n),
    cost: new Float64Array(n),
    buyFee: new Float64Array(n),
    entryTime: new Float64Array(n),
    exitCode: new Int32Array(n),
    lastStopAt: new Float64Array(n).fill(Number.NaN),
    lv: new Float64Array(n * LV_STRIDE),
    entryCost: s.investmentKrw * (1 + s.feeRate),
    cash: initialKrw,
    reserved: 0,
    openCount: 0,
    pendingCount: 0,
    day: Number.NaN,
    today: 0,
    total: 0,
  };
}

/** Starts a new KST day (today's realised PnL back to 0) when t is in a later day. */
export function rollDay(b: Book, t: number): void {
  const d = kstDayNumber(t);
  if (d > b.day || b.day !== b.day) {
    b.day = d;
    b.today = 0;
  }
}

export function addPending(b: Book, m: number): void {
  b.state[m] = POS_PENDING;
  b.pendingCount++;
  b.reserved += b.entryCost;
}

export function dropPending(b: Book, m: number): void {
  b.state[m] = POS_NONE;
  b.pendingCount--;
  b.reserved -= b.entryCost;
}

/** A pending entry filled: volume at avg price, buy fee on top. */
export function fillEntry(b: Book, s: StrategySettings, m: number, price: number, vol: number, fee: number, t: number): void {
  b.state[m] = POS_OPEN;
  b.pendingCount--;
  b.openCount++;
  b.reserved -= b.entryCost;
  b.cash -= price * vol + fee;
  b.volume[m] = vol;
  b.cost[m] = price * vol;
  b.buyFee[m] = fee;
  b.entryTime[m] = t;
  resetLevelsAt(b.lv, m * LV_STRIDE, price, t, s);
}

/** The sell filled: PnL = proceeds − sell fee − (buy cost + buy fee), booked on the KST day of t. */
export function realise(b: Book, m: number, code: number, price: number, fee: number, t: number): number {
  const proceeds = price * b.volume[m]!;
  const pnl = proceeds - fee - (b.cost[m]! + b.buyFee[m]!);
  b.cash += proceeds - fee;
  if (!(kstDayNumber(t) < b.day)) {
    rollDay(b, t);
    b.today += pnl;
  }
  b.total += pnl;
  if (code === EXIT_STOP_LOSS) b.lastStopAt[m] = t;
  b.state[m] = POS_NONE;
  b.openCount--;
  return pnl;
}

/** The position left by another way (sold outside the bot, dust): no PnL booked, cash untouched. */
export function forget(b: Book, m: number): void {
  b.state[m] = POS_NONE;
  b.openCount--;
}

export function snapshot(b: Book, names: readonly MarketCode[], m: number): PositionSnapshot | null {
  const st = b.state[m];
  if (st === undefined || st === POS_NONE) return null;
  const k = m * LV_STRIDE;
  const isPending = st === POS_PENDING;
  const nan = Number.NaN;
  return {
    market: names[m]!,
    state: isPending ? 'pending' : st === POS_OPEN ? 'open' : 'exiting',
    entryPrice: isPending ? nan : b.lv[k + LV_ENTRY]!,
    volume: isPending ? 0 : b.volume[m]!,
    costKrw: isPending ? 0 : b.cost[m]!,
    buyFeeKrw: isPending ? 0 : b.buyFee[m]!,
    entryTime: isPending ? nan : b.entryTime[m]!,
    takeProfit: isPending ? nan : b.lv[k + LV_TAKE_PROFIT]!,
    stopLoss: isPending ? nan : b.lv[k + LV_STOP_LOSS]!,
    highPrice: isPending ? nan : b.lv[k + LV_HIGH]!,
    expiresAt: isPending ? nan : b.lv[k + LV_EXPIRES]!,
  };
}
