// The signal side of the strategy state machine: per-market 5-minute volume buckets, the volume ring, the previous-day close, the spike rule.
import { FIVE_MINUTES_MS } from './candles5m.ts';
import { POS_NONE, PositionBook } from './decide-book.ts';
import { createCandidateBuffer, insertCandidate, type CandidateBuffer } from './decide-events.ts';
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
const RING = 8; // the last four closed buckets' volumes
export const STRIDE = 12;

/**
 * Every accepted input lies in the open interval [evaluated, evaluated + interval) — earlier ones are late,
 * later ones evaluate the boundary first — so a bucket needs only its volume and close, and no division per
 * input. The middle class of StrategyMachine (decide.ts says why these are classes).
 */
export class SignalBook extends PositionBook {
  readonly candidates: CandidateBuffer;
  protected readonly n: number;
  protected readonly interval: number;
  private readonly cooldownMs: number;
  private readonly spikeThreshold: number;
  private readonly priceLimit: number;
  private readonly codeRank: Int32Array;
  private readonly index: Map<MarketCode, number>;
  /** Markets with an input in the open bucket (LAST_T ≥ evaluated), in order of first input. */
  protected readonly openList: Int32Array;
  protected readonly rec: Float64Array;
  private readonly flagged: Uint8Array;
  protected readonly flags: MarketFlags[];
  protected openLen = 0;
  protected evaluated = Number.NEGATIVE_INFINITY;
  protected nextBoundary = Number.NEGATIVE_INFINITY;

  constructor(s: StrategySettings, o: StrategyOptions) {
    super(o.markets, s, o.initialKrw ?? Number.POSITIVE_INFINITY);
    const names = o.markets;
    const n = names.length;
    this.n = n;
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
    for (let k = 0; k < n * STRIDE; k += STRIDE) {
      this.rec[k + LAST_T] = Number.NEGATIVE_INFINITY;
      this.rec[k + LAST_CLOSE] = Number.NaN;
      this.rec[k + NEXT_DAY] = Number.NEGATIVE_INFINITY;
      this.rec[k + PREV_DAY] = Number.NaN;
    }
    this.flagged = new Uint8Array(n);
    this.flags = names.map(() => NO_FLAGS);
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
