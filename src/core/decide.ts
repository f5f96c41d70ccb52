// The strategy as one incremental, allocation-free state machine over markets 0..n-1: the live bot and the backtester both drive it.
import { POS_EXITING, POS_NONE, POS_OPEN, POS_PENDING } from './decide-book.ts';
import { createEventBuffer, EV_CANDIDATES, EV_ENTRY, EV_ENTRY_FILLED, EV_ENTRY_REFUSED, EV_EXIT, growEventBuffer, pushEvent, type EventBuffer } from './decide-events.ts';
import { B_CLOSE, B_VOL, LAST_CLOSE, LAST_T, NEXT_DAY, PREV_DAY, SignalBook, STRIDE } from './decide-signal.ts';
import { barExitAt, EXIT_END_OF_DATA, EXIT_MANUAL, LV_ENTRY, LV_EXIT_PRICE, LV_STRIDE, priceExitAt } from './exit-rules.ts';
import { checkEntry, NO_FLAGS, type EntryContext } from './risk.ts';
import type { Strategy, StrategyOptions, StrategySettings, StrategyStats } from './strategy.ts';
import { DAY_MS } from './time.ts';
import type { Verdict } from './types.ts';

/**
 * Semantics: DESIGN.md "Strategy semantics". Each input first evaluates the 5-minute boundary it crossed
 * (closing every open bucket, ranking spikes, at most one entry), then fills this market's pending entry
 * (simulated fills) and checks its exits, then aggregates the input. Per-market exclusions from the
 * candidates: flagged, held or pending, and in cooldown (a locked market is skipped, not blocking).
 */
export function createStrategy(s: StrategySettings, o: StrategyOptions): Strategy {
  return new StrategyMachine(s, o);
}

const refuse = (rule: string, reason: string): Verdict => ({ ok: false, rule, reason });

/** Events beyond one per market (closeAll's exits) that a single call can write: candidates, entry, fill, exit. */
const EVENT_SLACK = 8;

/**
 * Classes, unlike the house's createX closures (PositionBook in decide-book.ts ← SignalBook in
 * decide-signal.ts ← this), for the same reason as candles5m.ts's FlatBuckets: JSC keeps typed-array state
 * on instance fields fast for every instance, while closure-captured state is only constant-folded while one
 * instance exists — tests, sweeps and the bot create several per process (measured: the closure version ran
 * at 20–25 M candles/s from the second instance on).
 */
class StrategyMachine extends SignalBook implements Strategy {
  readonly events: EventBuffer;
  private readonly simulated: boolean;
  private readonly autoEnter: boolean;
  private readonly ctx: EntryContext;
  private enteredAt = Number.NaN;
  private late = 0;
  private refusal: Verdict | null = null;

  constructor(s: StrategySettings, o: StrategyOptions) {
    super(s, o);
    this.simulated = (o.fills ?? 'simulated') === 'simulated';
    this.autoEnter = o.autoEnter ?? true;
    this.events = createEventBuffer(o.markets.length + EVENT_SLACK);
    this.ctx = {
      market: '', now: 0, flags: NO_FLAGS, isHeld: false, isPending: false, openPositions: 0,
      pendingEntries: 0, realisedPnlTodayKrw: 0, freeKrw: 0, lastStopLossAt: null,
    };
  }

  protected override grow(capacity: number): void {
    growEventBuffer(this.events, capacity + EVENT_SLACK);
    super.grow(capacity);
  }

  candle(m: number, t: number, op: number, hi: number, lo: number, cl: number, v: number): number {
    const rec = this.rec;
    const k = m * STRIDE;
    const lastT = rec[k + LAST_T]!;
    const evaluated = this.evaluated;
    // The common case — no boundary crossed, no position, a later input of the same day — is kept small so that
    // JSC inlines it into the caller's loop (a non-inlined call with seven doubles costs as much as the work).
    if (t < this.nextBoundary && t >= evaluated && t > lastT && t < rec[k + NEXT_DAY]! && this.state[m] === POS_NONE) {
      this.events.count = 0;
      if (lastT >= evaluated) rec[k + B_VOL] = rec[k + B_VOL]! + v;
      else {
        this.openList[this.openLen++] = m;
        rec[k + B_VOL] = v;
      }
      rec[k + LAST_T] = t;
      rec[k + B_CLOSE] = cl;
      rec[k + LAST_CLOSE] = cl;
      return 0;
    }
    return this.candleInput(m, t, op, hi, lo, cl, v);
  }

  /**
   * Any candle: the boundary it crosses, the position's fill and exits, then its bucket and day. Written out
   * in one body on purpose: above JSC's inlining size (FTL: bytecode cost 170) it stays out of the caller's
   * loop, which then holds only candle()'s common case (measured: ~25% faster than with this inlined too).
   */
  private candleInput(m: number, t: number, op: number, hi: number, lo: number, cl: number, v: number): number {
    const ev = this.events;
    ev.count = 0;
    if (t < this.evaluated) return this.history(m, t, cl, v) ? 0 : (++this.late, 0);
    if (t >= this.nextBoundary) this.evaluate(Math.floor(t / this.interval) * this.interval);
    const st = this.state[m]!;
    if (st !== POS_NONE && this.simulated) {
      // Simulated fills: a pending entry fills at the open, then the candle's range is checked against the exits.
      if (st === POS_PENDING) this.fillPendingAt(m, op, t);
      if (this.state[m] === POS_OPEN) {
        const lk = m * LV_STRIDE;
        const code = barExitAt(this.lv, lk, t, op, hi, lo, cl);
        if (code !== 0) this.exit(m, code, this.lv[lk + LV_EXIT_PRICE]!, t);
      }
    }
    const rec = this.rec;
    const k = m * STRIDE;
    const lastT = rec[k + LAST_T]!;
    if (t > lastT) {
      if (lastT >= this.evaluated) rec[k + B_VOL] = rec[k + B_VOL]! + v;
      else {
        this.openList[this.openLen++] = m;
        rec[k + B_VOL] = v;
      }
      rec[k + LAST_T] = t;
      rec[k + B_CLOSE] = cl;
    }
    if (t >= rec[k + NEXT_DAY]!) {
      rec[k + PREV_DAY] = rec[k + LAST_CLOSE]!;
      rec[k + NEXT_DAY] = Math.floor(t / DAY_MS) * DAY_MS + DAY_MS;
    }
    rec[k + LAST_CLOSE] = cl;
    return ev.count;
  }

  tick(m: number, t: number, price: number, v: number): number {
    this.events.count = 0;
    if (t < this.evaluated) return ++this.late, 0;
    if (t >= this.nextBoundary) this.evaluate(Math.floor(t / this.interval) * this.interval);
    let st = this.state[m]!;
    if (st === POS_PENDING && this.simulated) this.fillPendingAt(m, price, t), (st = POS_OPEN);
    if (st === POS_OPEN) {
      const code = priceExitAt(this.lv, m * LV_STRIDE, price, t);
      if (code !== 0) this.exit(m, code, price, t);
    }
    if (v > 0) {
      const rec = this.rec;
      const k = m * STRIDE;
      if (t >= rec[k + LAST_T]!) this.fold(m, k, t, price, v); // trades at the same millisecond all count
      if (t >= rec[k + NEXT_DAY]!) this.rollPrevDay(k, t);
      rec[k + LAST_CLOSE] = price;
    }
    return this.events.count;
  }

  price(m: number, t: number, p: number): number {
    this.events.count = 0;
    if (this.state[m] !== POS_OPEN) return 0;
    const code = priceExitAt(this.lv, m * LV_STRIDE, p, t);
    if (code !== 0) this.exit(m, code, p, t);
    return this.events.count;
  }

  closeUpTo(t: number): number {
    this.events.count = 0;
    if (t >= this.nextBoundary) this.evaluate(Math.floor(t / this.interval) * this.interval);
    return this.events.count;
  }

  private evaluate(boundary: number): void {
    const cand = this.candidates;
    this.rollDay(boundary);
    this.closeBuckets(boundary);
    if (cand.count === 0) return;
    pushEvent(this.events, EV_CANDIDATES, -1, 0, boundary, Number.NaN, Number.NaN, cand.count);
    if (this.autoEnter) this.tryEnter(cand.market[0]!, boundary, cand.ratio[0]!);
  }

  private tryEnter(m: number, now: number, ratio: number): Verdict {
    const ctx = this.ctx;
    const stop = this.lastStopAt[m]!;
    this.rollDay(now);
    ctx.market = this.markets[m]!;
    ctx.now = now;
    ctx.flags = this.flags[m]!;
    ctx.isHeld = this.state[m]! >= POS_OPEN;
    ctx.isPending = this.state[m] === POS_PENDING;
    ctx.openPositions = this.openCount;
    ctx.pendingEntries = this.pendingCount;
    ctx.realisedPnlTodayKrw = this.today;
    ctx.freeKrw = this.cash - this.reserved;
    ctx.lastStopLossAt = stop === stop ? stop : null;
    const verdict = checkEntry(ctx, this.s);
    if (!verdict.ok) {
      this.refusal = verdict;
      pushEvent(this.events, EV_ENTRY_REFUSED, m, 0, now, Number.NaN, Number.NaN, ratio);
      return verdict;
    }
    this.addPending(m);
    this.enteredAt = this.evaluated;
    pushEvent(this.events, EV_ENTRY, m, 0, now, Number.NaN, Number.NaN, ratio);
    return verdict;
  }

  private fillPendingAt(m: number, price: number, t: number): void {
    const s = this.s;
    const vol = s.investmentKrw / price;
    const fee = s.investmentKrw * s.feeRate;
    this.fillEntry(m, price, vol, fee, t);
    pushEvent(this.events, EV_ENTRY_FILLED, m, 0, t, price, vol, fee);
  }

  private exit(m: number, code: number, price: number, t: number): void {
    const ev = this.events;
    const i = pushEvent(ev, EV_EXIT, m, code, t, price, this.volume[m]!, Number.NaN);
    ev.entryPrice[i] = this.lv[m * LV_STRIDE + LV_ENTRY]!;
    ev.entryTime[i] = this.entryTime[m]!;
    if (this.simulated) ev.value[i] = this.realise(m, code, price, price * this.volume[m]! * this.s.feeRate, t);
    else {
      this.state[m] = POS_EXITING;
      this.exitCode[m] = code;
    }
  }

  enter(m: number, now: number): Verdict {
    const cand = this.candidates;
    this.events.count = 0;
    if (this.enteredAt === this.evaluated) return refuse('one-per-close', `an entry was already made at the close ${this.evaluated}`);
    let k = 0;
    while (k < cand.count && cand.market[k] !== m) k++;
    if (k === cand.count) return refuse('not-a-candidate', `${this.markets[m] ?? m} is not a candidate of the close ${this.evaluated}`);
    return this.tryEnter(m, now, cand.ratio[k]!);
  }

  requestExit(m: number, price: number, t: number): boolean {
    this.events.count = 0;
    if (this.state[m] !== POS_OPEN) return false;
    this.exit(m, EXIT_MANUAL, price, t);
    return true;
  }

  closeAll(t: number): number {
    this.events.count = 0;
    for (let m = 0; m < this.n; m++) {
      if (this.state[m] === POS_PENDING) this.dropPending(m);
      else if (this.state[m] === POS_OPEN) this.exit(m, EXIT_END_OF_DATA, this.rec[m * STRIDE + LAST_CLOSE]!, t);
    }
    return this.events.count;
  }

  stats(): StrategyStats {
    return {
      freeKrw: this.cash - this.reserved,
      openPositions: this.openCount,
      pendingEntries: this.pendingCount,
      realisedPnlTodayKrw: this.today,
      realisedPnlTotalKrw: this.total,
      lateInputs: this.late,
    };
  }

  lastRefusal(): Verdict | null {
    return this.refusal;
  }
}
