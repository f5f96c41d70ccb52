// Position and money bookkeeping of the strategy state machine (base class of core/decide.ts's machine): positions, cash, KST-day PnL.
import { EXIT_MANUAL, EXIT_STOP_LOSS, LV_ENTRY, LV_EXPIRES, LV_HIGH, LV_STOP_LOSS, LV_STRIDE, LV_TAKE_PROFIT, resetLevelsAt } from './exit-rules.ts';
import { grown } from './decide-events.ts';
import { kstDayNumber } from './risk.ts';
import type { PositionSnapshot, StrategySettings } from './strategy.ts';
import type { MarketCode } from './types.ts';

export const POS_NONE = 0;
export const POS_PENDING = 1;
export const POS_OPEN = 2;
/** External fills: a sell was asked for and awaits confirmExit / cancelExit. */
export const POS_EXITING = 3;

/**
 * Per-market position arrays and the money, with the Strategy methods that touch only them. A class (the
 * base of StrategyMachine) for the reason given in decide.ts: typed arrays on instance fields stay fast
 * whatever the number of strategies in the process.
 */
export class PositionBook {
  /** The same array for the strategy's life: addMarket appends to it. */
  readonly markets: MarketCode[];
  protected readonly s: StrategySettings;
  /** Markets known (0..n-1); the per-market arrays below hold `capacity` slots (addMarket doubles it when full). */
  protected n: number;
  protected capacity: number;
  // Per-market arrays: replaced only by grow(), so the hot paths read them from instance fields as before.
  protected state: Uint8Array;
  protected volume: Float64Array;
  protected cost: Float64Array;
  protected buyFee: Float64Array;
  protected entryTime: Float64Array;
  /** Exit code of a POS_EXITING market. */
  protected exitCode: Int32Array;
  /** Time of the last stop-loss exit per market, NaN when none. */
  protected lastStopAt: Float64Array;
  /** Exit levels per market: record m at m × LV_STRIDE (exit-rules LV_*). */
  protected lv: Float64Array;
  /** KRW a pending entry reserves: amount plus fee. */
  protected readonly entryCost: number;
  protected cash: number;
  protected reserved = 0;
  protected openCount = 0;
  protected pendingCount = 0;
  /** KST day number of `today`, NaN before the first event. */
  protected day = Number.NaN;
  protected today = 0;
  protected total = 0;

  constructor(markets: readonly MarketCode[], s: StrategySettings, initialKrw: number) {
    const n = markets.length;
    this.markets = [...markets];
    this.s = s;
    this.n = n;
    this.capacity = n;
    this.state = new Uint8Array(n);
    this.volume = new Float64Array(n);
    this.cost = new Float64Array(n);
    this.buyFee = new Float64Array(n);
    this.entryTime = new Float64Array(n);
    this.exitCode = new Int32Array(n);
    this.lastStopAt = new Float64Array(n).fill(Number.NaN);
    this.lv = new Float64Array(n * LV_STRIDE);
    this.entryCost = s.investmentKrw * (1 + s.feeRate);
    this.cash = initialKrw;
  }

  /**
   * Reallocates every per-market array at `capacity` slots, markets 0..n-1 copied, the new slots as the constructor
   * makes them. Subclasses grow their own arrays and call this last (it sets `capacity`).
   */
  protected grow(capacity: number): void {
    this.state = grown(this.state, capacity);
    this.volume = grown(this.volume, capacity);
    this.cost = grown(this.cost, capacity);
    this.buyFee = grown(this.buyFee, capacity);
    this.entryTime = grown(this.entryTime, capacity);
    this.exitCode = grown(this.exitCode, capacity);
    this.lastStopAt = grown(this.lastStopAt, capacity, Number.NaN);
    this.lv = grown(this.lv, capacity * LV_STRIDE);
    this.capacity = capacity;
  }

  /** Starts a new KST day (today's realised PnL back to 0) when t is in a later day. */
  protected rollDay(t: number): void {
    const d = kstDayNumber(t);
    if (d > this.day || this.day !== this.day) {
      this.day = d;
      this.today = 0;
    }
  }

  protected addPending(m: number): void {
    this.state[m] = POS_PENDING;
    this.pendingCount++;
    this.reserved += this.entryCost;
  }

  protected dropPending(m: number): void {
    this.state[m] = POS_NONE;
    this.pendingCount--;
    this.reserved -= this.entryCost;
  }

  /** A pending entry filled: volume at avg price, buy fee on top. */
  protected fillEntry(m: number, price: number, vol: number, fee: number, t: number): void {
    this.state[m] = POS_OPEN;
    this.pendingCount--;
    this.openCount++;
    this.reserved -= this.entryCost;
    this.cash -= price * vol + fee;
    this.volume[m] = vol;
    this.cost[m] = price * vol;
    this.buyFee[m] = fee;
    this.entryTime[m] = t;
    resetLevelsAt(this.lv, m * LV_STRIDE, price, t, this.s);
  }

  /** The sell filled: PnL = proceeds − sell fee − (buy cost + buy fee), booked on the KST day of t. */
  protected realise(m: number, code: number, price: number, fee: number, t: number): number {
    const proceeds = price * this.volume[m]!;
    const pnl = proceeds - fee - (this.cost[m]! + this.buyFee[m]!);
    this.cash += proceeds - fee;
    if (!(kstDayNumber(t) < this.day)) {
      this.rollDay(t);
      this.today += pnl;
    }
    this.total += pnl;
    if (code === EXIT_STOP_LOSS) this.lastStopAt[m] = t;
    this.state[m] = POS_NONE;
    this.openCount--;
    return pnl;
  }

  /** Live: the position left by another way (sold outside the bot, dust): no PnL booked, cash untouched. */
  forgetPosition(m: number): boolean {
    const st = this.state[m];
    if (st === POS_PENDING) return this.dropPending(m), true;
    if (st !== POS_OPEN && st !== POS_EXITING) return false;
    this.state[m] = POS_NONE;
    this.openCount--;
    return true;
  }

  confirmEntry(m: number, avgPrice: number, vol: number, fee: number, t: number): boolean {
    if (this.state[m] !== POS_PENDING) return false;
    this.fillEntry(m, avgPrice, vol, fee, t);
    return true;
  }

  cancelEntry(m: number): boolean {
    if (this.state[m] !== POS_PENDING) return false;
    this.dropPending(m);
    return true;
  }

  confirmExit(m: number, avgPrice: number, fee: number, t: number): number {
    const st = this.state[m];
    if (st !== POS_EXITING && st !== POS_OPEN) return Number.NaN;
    return this.realise(m, st === POS_EXITING ? this.exitCode[m]! : EXIT_MANUAL, avgPrice, fee, t);
  }

  cancelExit(m: number): boolean {
    if (this.state[m] !== POS_EXITING) return false;
    this.state[m] = POS_OPEN;
    return true;
  }

  restorePosition(m: number, avgPrice: number, vol: number, fee: number, t: number, highPrice?: number): void {
    if (this.state[m] !== POS_NONE) return;
    this.addPending(m);
    this.fillEntry(m, avgPrice, vol, fee, t);
    this.cash += avgPrice * vol + fee;
    if (highPrice !== undefined && highPrice > avgPrice) this.lv[m * LV_STRIDE + LV_HIGH] = highPrice;
  }

  restorePending(m: number): boolean {
    if (this.state[m] !== POS_NONE) return false;
    this.addPending(m);
    return true;
  }

  highPrice(m: number): number {
    const st = this.state[m];
    return st === POS_OPEN || st === POS_EXITING ? this.lv[m * LV_STRIDE + LV_HIGH]! : Number.NaN;
  }

  restoreCooldown(m: number, at: number): void {
    this.lastStopAt[m] = at;
  }

  restoreDay(pnl: number, now: number): void {
    this.day = kstDayNumber(now);
    this.today = pnl;
  }

  setFreeKrw(krw: number): void {
    this.cash = krw;
  }

  position(m: number): PositionSnapshot | null {
    const st = this.state[m];
    if (st === undefined || st === POS_NONE) return null;
    const k = m * LV_STRIDE;
    const lv = this.lv;
    const isPending = st === POS_PENDING;
    const nan = Number.NaN;
    return {
      market: this.markets[m]!,
      state: isPending ? 'pending' : st === POS_OPEN ? 'open' : 'exiting',
      entryPrice: isPending ? nan : lv[k + LV_ENTRY]!,
      volume: isPending ? 0 : this.volume[m]!,
      costKrw: isPending ? 0 : this.cost[m]!,
      buyFeeKrw: isPending ? 0 : this.buyFee[m]!,
      entryTime: isPending ? nan : this.entryTime[m]!,
      takeProfit: isPending ? nan : lv[k + LV_TAKE_PROFIT]!,
      stopLoss: isPending ? nan : lv[k + LV_STOP_LOSS]!,
      highPrice: isPending ? nan : lv[k + LV_HIGH]!,
      expiresAt: isPending ? nan : lv[k + LV_EXPIRES]!,
    };
  }
}
