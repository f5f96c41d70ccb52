// Incremental aggregation of 1-minute candles or trades into CLOSED 5-minute candles in UTC buckets.
import type { Candle, MarketCode } from './types.ts';

export const FIVE_MINUTES_MS = 300_000;
const MINUTE_MS = 60_000;

/** Slots of `BucketAggregator.out`, the candle closed by the last call that returned true. */
export const OUT_START = 0;
export const OUT_OPEN = 1;
export const OUT_HIGH = 2;
export const OUT_LOW = 3;
export const OUT_CLOSE = 4;
export const OUT_VOLUME = 5;
export const OUT_TURNOVER = 6;

// Per-market record layout in one Float64Array: the open bucket = folded earlier minutes + the current minute.
const B_START = 0; // NaN: no open bucket
const B_FLOOR = 1; // inputs in buckets before this start are late and ignored
const F_HAS = 2;
const F_OPEN = 3;
const F_HIGH = 4;
const F_LOW = 5;
const F_CLOSE = 6;
const F_VOL = 7;
const F_TURN = 8;
const M_TIME = 9; // start of the current minute
const M_OPEN = 10;
const M_HIGH = 11;
const M_LOW = 12;
const M_CLOSE = 13;
const M_VOL = 14;
const M_TURN = 15;
const STRIDE = 16;

/**
 * Flat, allocation-free aggregator over markets indexed 0..n-1. A minute candle with the same start as
 * the previous one REPLACES it (Upbit streams updates of the forming minute); a trade merges into its
 * minute. A bucket with no input has no candle. Inputs for an already closed bucket are ignored.
 */
export type BucketAggregator = {
  readonly intervalMs: number;
  readonly out: Float64Array;
  /** Adds a minute (or coarser) candle; true when it closed m's previous bucket into `out`. */
  addCandle(m: number, openTime: number, o: number, h: number, l: number, c: number, v: number, turnover: number): boolean;
  /** Adds one trade; true when it closed m's previous bucket into `out`. */
  addTrade(m: number, time: number, price: number, volume: number, turnover: number): boolean;
  /** Closes m's open bucket into `out` when it ends at or before `time`; true when it did. */
  closeIfEnded(m: number, time: number): boolean;
  /** Start of m's open bucket, NaN when none. */
  openStart(m: number): number;
  /** Grows capacity to at least n markets, keeping state. */
  grow(n: number): void;
};

export function createBucketAggregator(marketCount: number, intervalMs = FIVE_MINUTES_MS): BucketAggregator {
  let st = blank(marketCount);
  const out = new Float64Array(7);

  function closeInto(k: number): void {
    foldMinute(k);
    out[OUT_START] = st[k + B_START]!;
    out[OUT_OPEN] = st[k + F_OPEN]!;
    out[OUT_HIGH] = st[k + F_HIGH]!;
    out[OUT_LOW] = st[k + F_LOW]!;
    out[OUT_CLOSE] = st[k + F_CLOSE]!;
    out[OUT_VOLUME] = st[k + F_VOL]!;
    out[OUT_TURNOVER] = st[k + F_TURN]!;
    st[k + B_FLOOR] = st[k + B_START]! + intervalMs;
    st[k + B_START] = Number.NaN;
    st[k + M_TIME] = Number.NaN;
    st[k + F_HAS] = 0;
  }

  function foldMinute(k: number): void {
    if (st[k + M_TIME] !== st[k + M_TIME]) return;
    if (st[k + F_HAS] === 0) {
      st[k + F_HAS] = 1;
      st[k + F_OPEN] = st[k + M_OPEN]!;
      st[k + F_HIGH] = st[k + M_HIGH]!;
      st[k + F_LOW] = st[k + M_LOW]!;
      st[k + F_VOL] = 0;
      st[k + F_TURN] = 0;
    } else {
      if (st[k + M_HIGH]! > st[k + F_HIGH]!) st[k + F_HIGH] = st[k + M_HIGH]!;
      if (st[k + M_LOW]! < st[k + F_LOW]!) st[k + F_LOW] = st[k + M_LOW]!;
    }
    st[k + F_CLOSE] = st[k + M_CLOSE]!;
    st[k + F_VOL] = st[k + F_VOL]! + st[k + M_VOL]!;
    st[k + F_TURN] = st[k + F_TURN]! + st[k + M_TURN]!;
  }

  function addCandle(m: number, t: number, o: number, h: number, l: number, c: number, v: number, turn: number): boolean {
    const k = m * STRIDE;
    const bucket = t - (t % intervalMs);
    if (bucket < st[k + B_FLOOR]!) return false;
    let closed = false;
    const start = st[k + B_START]!;
    if (start === start) {
      if (bucket > start) {
        closeInto(k);
        closed = true;
      } else if (t < st[k + M_TIME]!) return false;
      else if (t > st[k + M_TIME]!) foldMinute(k);
    }
    st[k + B_START] = bucket;
    st[k + M_TIME] = t;
    st[k + M_OPEN] = o;
    st[k + M_HIGH] = h;
    st[k + M_LOW] = l;
    st[k + M_CLOSE] = c;
    st[k + M_VOL] = v;
    st[k + M_TURN] = turn;
    return closed;
  }

  function addTrade(m: number, time: number, price: number, volume: number, turnover: number): boolean {
    const k = m * STRIDE;
    const minute = time - (time % MINUTE_MS);
    if (minute !== st[k + M_TIME]) return addCandle(m, minute, price, price, price, price, volume, turnover);
    if (price > st[k + M_HIGH]!) st[k + M_HIGH] = price;
    if (price < st[k + M_LOW]!) st[k + M_LOW] = price;
    st[k + M_CLOSE] = price;
    st[k + M_VOL] = st[k + M_VOL]! + volume;
    st[k + M_TURN] = st[k + M_TURN]! + turnover;
    return false;
  }

  function closeIfEnded(m: number, time: number): boolean {
    const k = m * STRIDE;
    const start = st[k + B_START]!;
    if (!(start + intervalMs <= time)) return false;
    closeInto(k);
    return true;
  }

  function grow(n: number): void {
    if (n * STRIDE <= st.length) return;
    const next = blank(n);
    next.set(st);
    st = next;
  }

  return { intervalMs, out, addCandle, addTrade, closeIfEnded, openStart: (m) => st[m * STRIDE + B_START]!, grow };
}

function blank(n: number): Float64Array {
  const st = new Float64Array(n * STRIDE);
  for (let k = 0; k < st.length; k += STRIDE) {
    st[k + B_START] = Number.NaN;
    st[k + B_FLOOR] = Number.NEGATIVE_INFINITY;
    st[k + M_TIME] = Number.NaN;
  }
  return st;
}

/** Object-level aggregator for the live bot: candles or trades in, closed candles out, per market code. */
export type CandleAggregator = {
  /** Adds a 1-minute candle (a repeat of the same minute replaces it); returns the candle it closed, if any. */
  push(candle: Candle): Candle | null;
  pushTrade(market: MarketCode, time: number, price: number, volume: number): Candle | null;
  /** Closes every bucket that ends at or before `time` (call at each 5-minute close); in market order of first sight. */
  closeUpTo(time: number): Candle[];
};

export function createCandleAggregator(intervalMs = FIVE_MINUTES_MS): CandleAggregator {
  const index = new Map<MarketCode, number>();
  const names: MarketCode[] = [];
  const agg = createBucketAggregator(16, intervalMs);

  const slot = (market: MarketCode): number => {
    let m = index.get(market);
    if (m === undefined) {
      m = names.push(market) - 1;
      index.set(market, m);
      agg.grow(names.length * 2);
    }
    return m;
  };
  const closed = (market: MarketCode): Candle => ({
    market,
    openTime: agg.out[OUT_START]!,
    open: agg.out[OUT_OPEN]!,
    high: agg.out[OUT_HIGH]!,
    low: agg.out[OUT_LOW]!,
    close: agg.out[OUT_CLOSE]!,
    volume: agg.out[OUT_VOLUME]!,
    turnoverKrw: agg.out[OUT_TURNOVER]!,
  });

  return {
    push(c) {
      const { market: mk, openTime: t, open: o, high: h, low: l, close: cl, volume: v, turnoverKrw: tv } = c;
      return agg.addCandle(slot(mk), t, o, h, l, cl, v, tv) ? closed(mk) : null;
    },
    pushTrade(market, time, price, volume) {
      return agg.addTrade(slot(market), time, price, volume, price * volume) ? closed(market) : null;
    },
    closeUpTo(time) {
      const result: Candle[] = [];
      for (let m = 0; m < names.length; m++) if (agg.closeIfEnded(m, time)) result.push(closed(names[m]!));
      return result;
    },
  };
}
