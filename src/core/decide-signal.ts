// The signal side of the strategy state machine: per-market 5-minute volume buckets, the volume ring, the previous-day close, the spike rule.
import { FIVE_MINUTES_MS } from './candles5m.ts';
import { POS_NONE, PositionBook } from './decide-book.ts';
import { createCandidateBuffer, growCandidateBuffer, grown, insertCandidate, type CandidateBuffer } from './decide-events.ts';
import { isFlagged, NO_FLAGS, type MarketFlags } from './risk.ts';
import { isVolumeSpike, passesPriceFilter } from './spike.ts';
import type { StrategyOptions, StrategySettings } from './strategy.ts';
import { DAY_MS } from './time.ts';
import type { MarketCode } from './types.ts';

// Per-market record in one Float64Array (m at m × STRIDE).
export const LAST_T = 0; // time of the last input folded into a bucket
export const B_VOL = 1; // volume of the open bucket (the interval starting at `evaluated`)
export const B_CLOSE = 2; // close of the open bucket
export const LAST_CLOSE = 3; // last input's close (end-of-data exits, the previous-day close)
export const NEXT_DAY = 4; // next UTC midnight: the first input at or after it rolls PREV_DAY
export const PREV_DAY = 5; // previous UTC day's close, NaN when unknown
const CLOSED = 6; // buckets closed so far; the next one's volume goes to RING + (CLOSED & 3)
const HISTORY = 7; // 1: added after start and not yet in a close, so it takes candles older than the last close (its backfill)
const RING = 8; // the last four closed buckets' volumes
export const STRIDE = 12;

/** Records from..to-1 as a market with no input yet: no last time, no close, no previous-day close. */
function initRecords(rec: Float64Array, from: number, to: number): void {
  for (let k = from * STRIDE; k < to * STRIDE; k += STRIDE) {
    rec[k + LAST_T] = Number.NEGATIVE_INFINITY;
    rec[k + LAST_CLOSE] = Number.NaN;
    rec[k + NEXT_DAY] = Number.NEGATIVE_INFINITY;
    rec[k + PREV_DAY] = Number.NaN;
  }
}

/**
 * Every accepted input lies in the open interval [evaluated, evaluated + interval) — earlier ones are late,
 * later ones evaluate the boundary first — so a bucket needs only its volume and close, and no division per
 * input. The middle class of StrategyMachine (decide.ts says why these are classes).
 */
export class SignalBook extends PositionBook {
  readonly candidates: CandidateBuffer;
  protected readonly interval: number;
  private readonly cooldownMs: number;
  private readonly spikeThreshold: number;
  private readonly priceLimit: number;
  /** codeRank[m] = position of m's code in the sorted code list (ranking ties). */
  private codeRank: Int32Array;
  private readonly index: Map<MarketCode, number>;
  /** Markets with an input in the open bucket (LAST_T ≥ evaluated), in order of first input. */
  protected openList: Int32Array;
  protected rec: Float64Array;
  private flagged: Uint8Array;
  protected readonly flags: MarketFlags[];
  protected openLen = 0;
  protected evaluated = Number.NEGATIVE_INFINITY;
  protected nextBoundary = Number.NEGATIVE_INFINITY;

  constructor(s: StrategySettings, o: StrategyOptions) {
    super(o.markets, s, o.initialKrw ?? Number.POSITIVE_INFINITY);
    const names = o.markets;
    const n = names.length;
    this.interval = o.intervalMs ?? FIVE_MINUTES_MS;
    this.cooldownMs = s.cooldownMinutes * 60_000;
    this.spikeThreshold = s.volumeSpikeThreshold;
    this.priceLimit = s.priceChangeLimit;
    this.candidates = createCandidateBuffer(n);
    const codeRank = new Int32Array(n);
    [...names.keys()].sort((a, b) => (names[a]! < names[b]! ? -1 : 1)).forEach((m, rank) => (codeRank[m] = rank));
    this.codeRank = codeRank;
    this.index = new Map(names.map((code, i) => [code, i] as const));
    this.openList = new Int32Array(n);
    this.rec = new Float64Array(n * STRIDE);
    initRecords(this.rec, 0, n);
    this.flagged = new Uint8Array(n);
    this.flags = names.map(() => NO_FLAGS);
  }

  protected override grow(capacity: number): void {
    const rec = grown(this.rec, capacity * STRIDE);
    initRecords(rec, this.capacity, capacity);
    this.rec = rec;
    this.openList = grown(this.openList, capacity);
    this.codeRank = grown(this.codeRank, capacity);
    this.flagged = grown(this.flagged, capacity);
    growCandidateBuffer(this.candidates, capacity);
    super.grow(capacity);
  }

  /**
   * A market listed after the strategy was made: appended as index n (earlier indices never change), with no
   * history, no position and no flags — as if it had been in the list from the start without an input so far.
   * Returns the existing index for a known code. Allocates only when the capacity doubles.
   */
  addMarket(code: MarketCode): number {
    const known = this.index.get(code);
    if (known !== undefined) return known;
    const m = this.n;
    if (m === this.capacity) this.grow(Math.max(8, 2 * m));
    const codes = this.markets;
    const ranks = this.codeRank;
    let rank = 0;
    for (let j = 0; j < m; j++) {
      if (codes[j]! < code) rank++;
      else ranks[j] = ranks[j]! + 1;
    }
    ranks[m] = rank;
    this.rec[m * STRIDE + HISTORY] = 1;
    this.markets.push(code);
    this.flags.push(NO_FLAGS);
    this.index.set(code, m);
    this.n = m + 1;
    return m;
  }

  /**
   * A candle older than the last evaluated close, of a market added after start that has not been in a close yet
   * (the bot's backfill of a new listing): its bucket goes straight into the ring of four, as if the candle had
   * been fed in time — past closes take no signal. Anything else that old is late (counted, ignored).
   */
  protected history(m: number, t: number, close: number, v: number): boolean {
    const rec = this.rec;
    const k = m * STRIDE;
    const lastT = rec[k + LAST_T]!;
    if (rec[k + HISTORY] !== 1 || !(t > lastT)) return false;
    const closed = rec[k + CLOSED]!;
    if (closed > 0 && Math.floor(lastT / this.interval) === Math.floor(t / this.interval)) {
      const slot = k + RING + ((closed - 1) & 3);
      rec[slot] = rec[slot]! + v;
    } else {
      rec[k + RING + (closed & 3)] = v;
      rec[k + CLOSED] = closed + 1;
    }
    rec[k + LAST_T] = t;
    if (t >= rec[k + NEXT_DAY]!) this.rollPrevDay(k, t);
    rec[k + LAST_CLOSE] = close;
    return true;
  }

  /** Closes every open bucket at `boundary` (the start of the next interval) into the ranked candidates. */
  protected closeBuckets(boundary: number): void {
    const cand = this.candidates;
    this.evaluated = boundary;
    this.nextBoundary = boundary + this.interval;
    cand.count = 0;
    cand.time = boundary;
    const list = this.openList;
    const len = this.openLen;
    this.openLen = 0;
    for (let j = 0; j < len; j++) this.closeBucket(list[j]!, boundary);
  }

  /** Folds an input into m's bucket (record at k). */
  protected fold(m: number, k: number, t: number, close: number, v: number): void {
    const rec = this.rec;
    if (rec[k + LAST_T]! >= this.evaluated) rec[k + B_VOL] = rec[k + B_VOL]! + v;
    else {
      this.openList[this.openLen++] = m;
      rec[k + B_VOL] = v;
    }
    rec[k + LAST_T] = t;
    rec[k + B_CLOSE] = close;
  }

  protected rollPrevDay(k: number, t: number): void {
    this.rec[k + PREV_DAY] = this.rec[k + LAST_CLOSE]!;
    this.rec[k + NEXT_DAY] = Math.floor(t / DAY_MS) * DAY_MS + DAY_MS;
  }

  /** The spike rule on m's just-closed bucket, then the bucket's volume joins the ring of four. */
  private closeBucket(m: number, boundary: number): void {
    const rec = this.rec;
    const k = m * STRIDE;
    const vol = rec[k + B_VOL]!;
    const closed = rec[k + CLOSED]!;
    rec[k + CLOSED] = closed + 1;
    rec[k + HISTORY] = 0;
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

  restorePrevDayClose(m: number, close: number, now: number): void {
    this.rec[m * STRIDE + PREV_DAY] = close;
    this.rec[m * STRIDE + NEXT_DAY] = Math.floor(now / DAY_MS) * DAY_MS + DAY_MS;
  }

  setFlags(m: number, f: MarketFlags): void {
    this.flags[m] = f;
    this.flagged[m] = isFlagged(f) ? 1 : 0;
  }

  marketIndex(code: MarketCode): number {
    return this.index.get(code) ?? -1;
  }
}
