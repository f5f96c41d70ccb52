// Preallocated output buffers of the strategy state machine: events and ranked candidates, plus object decoders.
import { EXIT_REASONS } from './exit-rules.ts';
import type { ExitReason, MarketCode, Signal } from './types.ts';

/** Candidates were ranked at a 5-minute close: value = count, time = the boundary. */
export const EV_CANDIDATES = 1;
/** An entry was decided (market becomes pending): time = the boundary, value = volume ratio. */
export const EV_ENTRY = 2;
/** The top candidate was refused by a risk rule: see Strategy.lastRefusal. */
export const EV_ENTRY_REFUSED = 3;
/** Simulated fills only: the pending entry filled at price × volume at time; value = buy fee. */
export const EV_ENTRY_FILLED = 4;
/** A sell: reason = exit code; simulated fills: done, value = PnL; external fills: an intent, value = NaN. */
export const EV_EXIT = 5;

/** The arrays are replaced (contents kept) when Strategy.addMarket grows the capacity: read them through the buffer. */
export type EventBuffer = {
  /** Number of events written by the last call; the arrays hold them at 0..count-1. */
  count: number;
  kind: Int32Array;
  market: Int32Array;
  /** Exit reason code (exit-rules EXIT_*), 0 otherwise. */
  reason: Int32Array;
  time: Float64Array;
  price: Float64Array;
  volume: Float64Array;
  value: Float64Array;
  /** EV_EXIT: the position's entry price and time. */
  entryPrice: Float64Array;
  entryTime: Float64Array;
};

type NumberArray = Uint8Array | Int32Array | Float64Array;

/** A copy of `a` in a new array of the same type and `length` (≥ a.length), the new slots set to `fill`. */
export function grown<T extends NumberArray>(a: T, length: number, fill = 0): T {
  const b = new (a.constructor as new (length: number) => T)(length);
  (b as Float64Array).set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}

export function createEventBuffer(capacity: number): EventBuffer {
  return {
    count: 0,
    kind: new Int32Array(capacity),
    market: new Int32Array(capacity),
    reason: new Int32Array(capacity),
    time: new Float64Array(capacity),
    price: new Float64Array(capacity),
    volume: new Float64Array(capacity),
    value: new Float64Array(capacity),
    entryPrice: new Float64Array(capacity),
    entryTime: new Float64Array(capacity),
  };
}

/** Grows the buffer's arrays in place to `capacity` events, keeping the last call's events. */
export function growEventBuffer(e: EventBuffer, capacity: number): void {
  if (capacity <= e.kind.length) return;
  e.kind = grown(e.kind, capacity);
  e.market = grown(e.market, capacity);
  e.reason = grown(e.reason, capacity);
  e.time = grown(e.time, capacity);
  e.price = grown(e.price, capacity);
  e.volume = grown(e.volume, capacity);
  e.value = grown(e.value, capacity);
  e.entryPrice = grown(e.entryPrice, capacity);
  e.entryTime = grown(e.entryTime, capacity);
}

/** Appends one event; returns its index so the caller can fill the exit-only slots. */
export function pushEvent(
  e: EventBuffer,
  kind: number,
  market: number,
  reason: number,
  time: number,
  price: number,
  volume: number,
  value: number,
): number {
  const i = e.count++;
  e.kind[i] = kind;
  e.market[i] = market;
  e.reason[i] = reason;
  e.time[i] = time;
  e.price[i] = price;
  e.volume[i] = volume;
  e.value[i] = value;
  e.entryPrice[i] = Number.NaN;
  e.entryTime[i] = Number.NaN;
  return i;
}

export type StrategyEvent =
  | { kind: 'candidates'; time: number; count: number }
  | { kind: 'entry'; market: MarketCode; time: number; volumeRatio: number }
  | { kind: 'entry-refused'; market: MarketCode; time: number }
  | { kind: 'entry-filled'; market: MarketCode; time: number; price: number; volume: number; feeKrw: number }
  | {
      kind: 'exit';
      market: MarketCode;
      reason: ExitReason;
      time: number;
      price: number;
      volume: number;
      entryPrice: number;
      entryTime: number;
      /** NaN for an exit intent (external fills). */
      pnlKrw: number;
    };

/** Decodes the buffer into objects (for the live bot and tests; the backtester reads the arrays). */
export function readEvents(e: EventBuffer, names: readonly MarketCode[]): StrategyEvent[] {
  const list: StrategyEvent[] = [];
  for (let i = 0; i < e.count; i++) {
    const market = names[e.market[i]!] ?? '';
    const time = e.time[i]!;
    const kind = e.kind[i]!;
    if (kind === EV_CANDIDATES) list.push({ kind: 'candidates', time, count: e.value[i]! });
    else if (kind === EV_ENTRY) list.push({ kind: 'entry', market, time, volumeRatio: e.value[i]! });
    else if (kind === EV_ENTRY_REFUSED) list.push({ kind: 'entry-refused', market, time });
    else if (kind === EV_ENTRY_FILLED) {
      list.push({ kind: 'entry-filled', market, time, price: e.price[i]!, volume: e.volume[i]!, feeKrw: e.value[i]! });
    } else if (kind === EV_EXIT) {
      list.push({
        kind: 'exit',
        market,
        reason: EXIT_REASONS[e.reason[i]!] ?? 'manual',
        time,
        price: e.price[i]!,
        volume: e.volume[i]!,
        entryPrice: e.entryPrice[i]!,
        entryTime: e.entryTime[i]!,
        pnlKrw: e.value[i]!,
      });
    }
  }
  return list;
}

/** The ranked candidates of the last evaluated close, best first (valid until the next close; arrays as EventBuffer's). */
export type CandidateBuffer = {
  count: number;
  time: number;
  market: Int32Array;
  ratio: Float64Array;
  close: Float64Array;
  prevDayClose: Float64Array;
};

export const createCandidateBuffer = (n: number): CandidateBuffer => ({
  count: 0,
  time: Number.NaN,
  market: new Int32Array(n),
  ratio: new Float64Array(n),
  close: new Float64Array(n),
  prevDayClose: new Float64Array(n),
});

/** Grows the buffer's arrays in place to `capacity` markets, keeping the last close's candidates. */
export function growCandidateBuffer(c: CandidateBuffer, capacity: number): void {
  if (capacity <= c.market.length) return;
  c.market = grown(c.market, capacity);
  c.ratio = grown(c.ratio, capacity);
  c.close = grown(c.close, capacity);
  c.prevDayClose = grown(c.prevDayClose, capacity);
}

/**
 * Inserts a candidate keeping the order: volume ratio descending, ties by market code ascending
 * (codeRank[m] = position of m's code in the sorted code list).
 */
export function insertCandidate(
  c: CandidateBuffer,
  codeRank: Int32Array,
  m: number,
  ratio: number,
  close: number,
  prevDayClose: number,
): void {
  let i = c.count++;
  while (i > 0) {
    const r = c.ratio[i - 1]!;
    if (r > ratio || (r === ratio && codeRank[c.market[i - 1]!]! < codeRank[m]!)) break;
    c.market[i] = c.market[i - 1]!;
    c.ratio[i] = r;
    c.close[i] = c.close[i - 1]!;
    c.prevDayClose[i] = c.prevDayClose[i - 1]!;
    i--;
  }
  c.market[i] = m;
  c.ratio[i] = ratio;
  c.close[i] = close;
  c.prevDayClose[i] = prevDayClose;
}

export function readCandidates(c: CandidateBuffer, names: readonly MarketCode[]): Signal[] {
  const list: Signal[] = [];
  for (let i = 0; i < c.count; i++) {
    list.push({
      market: names[c.market[i]!]!,
      time: c.time,
      volumeRatio: c.ratio[i]!,
      close: c.close[i]!,
      prevDayClose: c.prevDayClose[i]!,
    });
  }
  return list;
}
