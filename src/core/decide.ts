// The strategy as one incremental, allocation-free state machine over markets 0..n-1: the live bot and the backtester both drive it.
import { FIVE_MINUTES_MS } from './candles5m.ts';
import {
  addPending,
  createBook,
  dropPending,
  fillEntry,
  forget,
  POS_EXITING,
  POS_NONE,
  POS_OPEN,
  POS_PENDING,
  realise,
  rollDay,
  snapshot,
  type Book,
} from './decide-book.ts';
import {
  createCandidateBuffer,
  createEventBuffer,
  EV_CANDIDATES,
  EV_ENTRY,
  EV_ENTRY_FILLED,
  EV_ENTRY_REFUSED,
  EV_EXIT,
  insertCandidate,
  pushEvent,
  type CandidateBuffer,
  type EventBuffer,
} from './decide-events.ts';
import { barExitAt, EXIT_END_OF_DATA, EXIT_MANUAL, LV_ENTRY, LV_EXIT_PRICE, LV_HIGH, LV_STRIDE, priceExitAt } from './exit-rules.ts';
import { checkEntry, isFlagged, kstDayNumber, NO_FLAGS, type EntryContext, type MarketFlags } from './risk.ts';
import { isVolumeSpike, passesPriceFilter } from './spike.ts';
import type { PositionSnapshot, Strategy, StrategyOptions, StrategySettings, StrategyStats } from './strategy.ts';
import type { MarketCode, Verdict } from './types.ts';

const DAY_MS = 86_400_000;

// Per-market record in one Float64Array (one cache line per market).
const LAST_T = 0; // time of the last input folded into a bucket
const B_VOL = 1; // volume of the open bucket (the interval starting at `evaluated`)
const B_CLOSE = 2; // close of the open bucket
const LAST_CLOSE = 3; // last input's close (end-of-data exits, the previous-day close)
const NEXT_DAY = 4; // next UTC midnight: the first input at or after it rolls PREV_DAY
const PREV_DAY = 5; // previous UTC day's close, NaN when unknown
const CLOSED = 6; // buckets closed so far; the next one's volume goes to RING + (CLOSED & 3)
const RING = 8; // the last four closed buckets' volumes
const STRIDE = 12;

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

/**
 * A class, unlike the house's createX closures, for the same reason as candles5m.ts's FlatBuckets: JSC
 * keeps typed-array state on instance fields fast for every instance, while closure-captured state is only
 * constant-folded while one instance exists (tests, sweeps and the bot create several per process).
 */
class StrategyMachine implements Strategy {
  readonly markets: readonly MarketCode[];
  readonly events: EventBuffer;
  readonly candidates: CandidateBuffer;
  private readonly s: StrategySettings;
  private readonly n: number;
  private readonly simulated: boolean;
  private readonly autoEnter: boolean;
  private readonly interval: number;
  private readonly cooldownMs: number;
  private readonly spikeThreshold: number;
  private readonly priceLimit: number;
  private readonly codeRank: Int32Array;
  private readonly index: Map<MarketCode, number>;
  private readonly b: Book;
  private readonly state: Uint8Array;
  private readonly lv: Float64Array;
  private readonly lastStopAt: Float64Array;
  /** Markets with an input in the open bucket (LAST_T ≥ evaluated), in order of first input. */
  private readonly openList: Int32Array;
  private readonly rec: Float64Array;
  private readonly flagged: Uint8Array;
  private readonly flags: MarketFlags[];
  private readonly ctx: EntryContext;
  private openLen = 0;
  private evaluated = Number.NEGATIVE_INFINITY;
  private nextBoundary = Number.NEGATIVE_INFINITY;
  private enteredAt = Number.NaN;
  private late = 0;
  private refusal: Verdict | null = null;

  constructor(s: StrategySettings, o: StrategyOptions) {
    const names = o.markets;
    const n = names.length;
    this.markets = names;
    this.s = s;
    this.n = n;
    this.simulated = (o.fills ?? 'simulated') === 'simulated';
    this.autoEnter = o.autoEnter ?? true;
    this.interval = o.intervalMs ?? FIVE_MINUTES_MS;
    this.cooldownMs = s.cooldownMinutes * 60_000;
    this.spikeThreshold = s.volumeSpikeThreshold;
    this.priceLimit = s.priceChangeLimit;
    this.events = createEventBuffer(n + 8);
    this.candidates = createCandidateBuffer(n);
    const codeRank = new Int32Array(n);
    [...names.keys()].sort((a, b) => (names[a]! < names[b]! ? -1 : 1)).forEach((m, rank) => (codeRank[m] = rank));
    this.codeRank = codeRank;
    this.index = new Map(names.map((code, i) => [code, i] as const));
    this.b = createBook(n, s, o.initialKrw ?? Number.POSITIVE_INFINITY);
    this.state = this.b.state;
    this.lv = this.b.lv;
    this.lastStopAt = this.b.lastStopAt;
    this.openList = new Int32Array(n);
    this.rec = new Float64Array(n * STRIDE);
    for (let k = 0; k < n * STRIDE; k += STRIDE) {
      this.rec[k + LAST_T] = Number.NEGATIVE_INFINITY;
      this.rec[k + LAST_CLOSE] = Number.NaN;
      this.rec[k + NEXT_DAY] = Number.NEGATIVE_INFINITY;
      this.rec[k + PREV_DAY] = Number.NaN;
    }
    this.flagged = new Uint8Array(n);
    this.flags = names.map(() => NO_FLAGS);
    this.ctx = {
      market: '', now: 0, flags: NO_FLAGS, isHeld: false, isPending: false, openPositions: 0,
      pendingEntries: 0, realisedPnlTodayKrw: 0, freeKrw: 0, lastStopLossAt: null,
    };
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
    if (t < this.evaluated) return ++this.late, 0;
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

  /**
   * Folds an input into m's bucket. Every accepted input lies in the open interval [evaluated, +interval)
   * (earlier ones are late, later ones evaluate first), so a bucket needs only its volume and close.
   */
  private fold(m: number, k: number, t: number, close: number, v: number): void {
    const rec = this.rec;
    if (rec[k + LAST_T]! >= this.evaluated) rec[k + B_VOL] = rec[k + B_VOL]! + v;
    else {
      this.openList[this.openLen++] = m;
      rec[k + B_VOL] = v;
    }
    rec[k + LAST_T] = t;
    rec[k + B_CLOSE] = close;
  }

  private rollPrevDay(k: number, t: number): void {
    this.rec[k + PREV_DAY] = this.rec[k + LAST_CLOSE]!;
    this.rec[k + NEXT_DAY] = Math.floor(t / DAY_MS) * DAY_MS + DAY_MS;
  }

  private evaluate(boundary: number): void {
    const cand = this.candidates;
    this.evaluated = boundary;
    this.nextBoundary = boundary + this.interval;
    rollDay(this.b, boundary);
    cand.count = 0;
    cand.time = boundary;
    const list = this.openList;
    const len = this.openLen;
    this.openLen = 0;
    for (let j = 0; j < len; j++) this.closeBucket(list[j]!, boundary);
    if (cand.count === 0) return;
    pushEvent(this.events, EV_CANDIDATES, -1, 0, boundary, Number.NaN, Number.NaN, cand.count);
    if (this.autoEnter) this.tryEnter(cand.market[0]!, boundary, cand.ratio[0]!);
  }

  /** The spike rule on m's just-closed bucket, then the bucket's volume joins the ring of four. */
  private closeBucket(m: number, boundary: number): void {
    const rec = this.rec;
    const k = m * STRIDE;
    const vol = rec[k + B_VOL]!;
    const closed = rec[k + CLOSED]!;
    rec[k + CLOSED] = closed + 1;
    if (closed >= 4) {
      const mean = (rec[k + RING]! + rec[k + RING + 1]! + rec[k + RING + 2]! + rec[k + RING + 3]!) / 4;
      // The volume test first: it fails for almost every bucket and reads nothing more.
      if (isVolumeSpike(vol, mean, this.spikeThreshold)) this.spike(m, k, vol, mean, boundary);
    }
    rec[k + RING + (closed & 3)] = vol;
  }

  /** The rest of the rule for a volume spike: eligibility (flags, position, cooldown) and the price filter. */
  private spike(m: number, k: number, vol: number, mean: number, boundary: number): void {
    if (this.flagged[m] !== 0 || this.state[m] !== POS_NONE || this.lastStopAt[m]! + this.cooldownMs > boundary) return;
    const close = this.rec[k + B_CLOSE]!;
    const prevDay = this.rec[k + PREV_DAY]!;
    if (passesPriceFilter(close, prevDay, this.priceLimit)) insertCandidate(this.candidates, this.codeRank, m, vol / mean, close, prevDay);
  }

  private tryEnter(m: number, now: number, ratio: number): Verdict {
    const b = this.b;
    const ctx = this.ctx;
    const stop = this.lastStopAt[m]!;
    rollDay(b, now);
    ctx.market = this.markets[m]!;
    ctx.now = now;
    ctx.flags = this.flags[m]!;
    ctx.isHeld = this.state[m]! >= POS_OPEN;
    ctx.isPending = this.state[m] === POS_PENDING;
    ctx.openPositions = b.openCount;
    ctx.pendingEntries = b.pendingCount;
    ctx.realisedPnlTodayKrw = b.today;
    ctx.freeKrw = b.cash - b.reserved;
    ctx.lastStopLossAt = stop === stop ? stop : null;
    const verdict = checkEntry(ctx, this.s);
    if (!verdict.ok) {
      this.refusal = verdict;
      pushEvent(this.events, EV_ENTRY_REFUSED, m, 0, now, Number.NaN, Number.NaN, ratio);
      return verdict;
    }
    addPending(b, m);
    this.enteredAt = this.evaluated;
    pushEvent(this.events, EV_ENTRY, m, 0, now, Number.NaN, Number.NaN, ratio);
    return verdict;
  }

  private fillPendingAt(m: number, price: number, t: number): void {
    const s = this.s;
    const vol = s.investmentKrw / price;
    const fee = s.investmentKrw * s.feeRate;
    fillEntry(this.b, s, m, price, vol, fee, t);
    pushEvent(this.events, EV_ENTRY_FILLED, m, 0, t, price, vol, fee);
  }

  private exit(m: number, code: number, price: number, t: number): void {
    const b = this.b;
    const ev = this.events;
    const i = pushEvent(ev, EV_EXIT, m, code, t, price, b.volume[m]!, Number.NaN);
    ev.entryPrice[i] = this.lv[m * LV_STRIDE + LV_ENTRY]!;
    ev.entryTime[i] = b.entryTime[m]!;
    if (this.simulated) ev.value[i] = realise(b, m, code, price, price * b.volume[m]! * this.s.feeRate, t);
    else {
      this.state[m] = POS_EXITING;
      b.exitCode[m] = code;
    }
  }

  forgetPosition(m: number): boolean {
    const st = this.state[m];
    if (st === POS_PENDING) return dropPending(this.b, m), true;
    if (st !== POS_OPEN && st !== POS_EXITING) return false;
    forget(this.b, m);
    return true;
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

  confirmEntry(m: number, avgPrice: number, vol: number, fee: number, t: number): boolean {
    if (this.state[m] !== POS_PENDING) return false;
    fillEntry(this.b, this.s, m, avgPrice, vol, fee, t);
    return true;
  }

  cancelEntry(m: number): boolean {
    if (this.state[m] !== POS_PENDING) return false;
    dropPending(this.b, m);
    return true;
  }

  requestExit(m: number, price: number, t: number): boolean {
    this.events.count = 0;
    if (this.state[m] !== POS_OPEN) return false;
    this.exit(m, EXIT_MANUAL, price, t);
    return true;
  }

  confirmExit(m: number, avgPrice: number, fee: number, t: number): number {
    const st = this.state[m];
    if (st !== POS_EXITING && st !== POS_OPEN) return Number.NaN;
    return realise(this.b, m, st === POS_EXITING ? this.b.exitCode[m]! : EXIT_MANUAL, avgPrice, fee, t);
  }

  cancelExit(m: number): boolean {
    if (this.state[m] !== POS_EXITING) return false;
    this.state[m] = POS_OPEN;
    return true;
  }

  closeAll(t: number): number {
    this.events.count = 0;
    for (let m = 0; m < this.n; m++) {
      if (this.state[m] === POS_PENDING) dropPending(this.b, m);
      else if (this.state[m] === POS_OPEN) this.exit(m, EXIT_END_OF_DATA, this.rec[m * STRIDE + LAST_CLOSE]!, t);
    }
    return this.events.count;
  }

  restorePosition(m: number, avgPrice: number, vol: number, fee: number, t: number, highPrice?: number): void {
    if (this.state[m] !== POS_NONE) return;
    addPending(this.b, m);
    fillEntry(this.b, this.s, m, avgPrice, vol, fee, t);
    this.b.cash += avgPrice * vol + fee;
    if (highPrice !== undefined && highPrice > avgPrice) this.lv[m * LV_STRIDE + LV_HIGH] = highPrice;
  }

  restoreCooldown(m: number, at: number): void {
    this.lastStopAt[m] = at;
  }

  restorePrevDayClose(m: number, close: number, now: number): void {
    this.rec[m * STRIDE + PREV_DAY] = close;
    this.rec[m * STRIDE + NEXT_DAY] = Math.floor(now / DAY_MS) * DAY_MS + DAY_MS;
  }

  restoreDay(pnl: number, now: number): void {
    this.b.day = kstDayNumber(now);
    this.b.today = pnl;
  }

  setFlags(m: number, f: MarketFlags): void {
    this.flags[m] = f;
    this.flagged[m] = isFlagged(f) ? 1 : 0;
  }

  setFreeKrw(krw: number): void {
    this.b.cash = krw;
  }

  marketIndex(code: MarketCode): number {
    return this.index.get(code) ?? -1;
  }

  position(m: number): PositionSnapshot | null {
    return snapshot(this.b, this.markets, m);
  }

  stats(): StrategyStats {
    const b = this.b;
    return {
      freeKrw: b.cash - b.reserved,
      openPositions: b.openCount,
      pendingEntries: b.pendingCount,
      realisedPnlTodayKrw: b.today,
      realisedPnlTotalKrw: b.total,
      lateInputs: this.late,
    };
  }

  lastRefusal(): Verdict | null {
    return this.refusal;
  }
}
