// One 5-minute close: which buckets come from the socket, which need REST (gap, socket down, stale), in a fixed order.
import type { Candle, MarketCode } from '../core/types.ts';
import { BUCKET_MS, type CandleBook, type Coverage } from './candle-book.ts';
import { fetchClosedCandles, forEachMarket, type MarketRest } from './market-rest.ts';

/**
 * Stale-looking socket candles refetched per close. Kept under the candle group's 9 requests a second (10/s less
 * the client's margin), so a close never waits for the next rate window before it can enter.
 */
export const DEFAULT_MAX_REPAIRS = 8;

export type CloseReport = {
  /** The last boundary closed (bucket end, UTC epoch ms). */
  boundary: number;
  /** Bucket ends closed by this call, oldest first (several after a stall). */
  ends: number[];
  /** Markets in the universe at this close: every one of them was looked at. */
  marketsEvaluated: number;
  /** Candles delivered (markets × buckets with trades). */
  delivered: number;
  fromSocket: number;
  fromRest: number;
  /** Markets refetched by REST because their socket candle looked stale. */
  repaired: MarketCode[];
  /** Markets whose REST fetch failed: their candle for these buckets is missing. */
  failed: MarketCode[];
};

export const emptyReport = (boundary: number, marketsEvaluated: number): CloseReport => ({
  boundary, ends: [], marketsEvaluated, delivered: 0, fromSocket: 0, fromRest: 0, repaired: [], failed: [],
});

export type ClosedCandle = { market: MarketCode; candle: Candle };

export type ClosePlan = {
  /** Bucket ends, oldest first. */
  ends: number[];
  /** Per market, the bucket ends it must take from REST (the socket did not cover them). */
  restEnds: Map<MarketCode, number[]>;
};

/** Pure: which (market, bucket) pairs the socket covered, and which need REST. `markets` sorted by code. */
export function planClose(
  markets: readonly MarketCode[],
  lastClosed: number,
  boundary: number,
  coverage: Pick<Coverage, 'covers'>,
  book: Pick<CandleBook, 'suspects'>,
  settleMs: number,
  maxRepairs = Infinity,
): ClosePlan {
  const ends: number[] = [];
  for (let e = lastClosed + BUCKET_MS; e <= boundary; e += BUCKET_MS) ends.push(e);
  const restEnds = new Map<MarketCode, number[]>();
  let repairs = 0;
  const add = (m: MarketCode, e: number) => {
    const list = restEnds.get(m);
    if (list) list.push(e);
    else restEnds.set(m, [e]);
  };
  for (const e of ends) {
    const covered = markets.filter((m) => coverage.covers(m, e, settleMs));
    const coveredSet = new Set(covered);
    for (const m of markets) if (!coveredSet.has(m)) add(m, e);
    // Stale-looking socket candles are refetched, at most maxRepairs per close (an accelerated demo could flood REST).
    for (const m of book.suspects(covered, e - BUCKET_MS).slice(0, Math.max(0, maxRepairs - repairs))) add(m, e), repairs++;
  }
  return { ends, restEnds };
}

export type CloseDeps = {
  rest: MarketRest;
  book: CandleBook;
  coverage: Coverage;
  settleMs: number;
  concurrency: number;
  /** Socket candles refetched per close at most when they look stale. */
  maxRepairs: number;
  signal?: AbortSignal;
};

/** Closes every bucket ending in (lastClosed, boundary]: one list, bucket by bucket, market code ascending within a bucket. */
export async function closeBuckets(
  deps: CloseDeps,
  universe: readonly MarketCode[],
  lastClosed: number,
  boundary: number,
): Promise<{ candles: ClosedCandle[]; report: CloseReport }> {
  const markets = [...universe].sort();
  const plan = planClose(markets, lastClosed, boundary, deps.coverage, deps.book, deps.settleMs, deps.maxRepairs);
  const socketTaken = new Set<MarketCode>();
  for (const e of plan.ends) for (const m of markets) if (!plan.restEnds.get(m)?.includes(e)) socketTaken.add(`${m}|${e}`);
  const repaired = markets.filter((m) => plan.restEnds.get(m)?.some((e) => deps.coverage.covers(m, e, deps.settleMs)));
  const fetched = await forEachMarket(
    [...plan.restEnds.keys()],
    deps.concurrency,
    (m) => {
      const ends = plan.restEnds.get(m)!;
      return fetchClosedCandles(deps.rest, m, ends[0]! - BUCKET_MS, ends[ends.length - 1]!);
    },
    undefined,
    deps.signal,
  );
  const candles: ClosedCandle[] = [];
  let fromSocket = 0;
  let fromRest = 0;
  for (const e of plan.ends) {
    const start = e - BUCKET_MS;
    for (const m of markets) {
      if (socketTaken.has(`${m}|${e}`)) {
        const c = deps.book.candle(m, start);
        if (c) candles.push({ market: m, candle: c }), fromSocket++;
        continue;
      }
      const c = fetched.ok.get(m)?.find((x) => x.openTime === start);
      if (c) candles.push({ market: m, candle: c }), fromRest++;
    }
  }
  deps.book.closeBefore(boundary);
  const failed = [...plan.restEnds.keys()].filter((m) => !fetched.ok.has(m)).sort();
  const report = { boundary, ends: plan.ends, marketsEvaluated: markets.length, delivered: candles.length, fromSocket, fromRest, repaired, failed };
  return { candles, report };
}
