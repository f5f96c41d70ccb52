// REST side of market data: a request counter around the port, closed 5-minute candles per market, a small worker pool.
import type { Clock } from '../clock.ts';
import type { Candle, MarketCode } from '../core/types.ts';
import type { Exchange } from '../exchange/exchange.ts';
import { BUCKET_MS } from './candle-book.ts';

/** A real-time pause that ends early when `signal` aborts. */
export const abortableSleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

export type MarketRest = Pick<Exchange, 'listMarkets' | 'fetchTickers' | 'fetchCandles'>;

export type RestCounter = {
  /** The same calls, each one counted at its start. */
  exchange: MarketRest;
  total(): number;
  byKind(): Record<'markets' | 'tickers' | 'candles', number>;
  /** Calls started in the last 60 s of the clock. */
  perMinute(): number;
};

/** Counts the calls market data makes (one ticker call may be split into several HTTP requests above ~180 markets). */
export function createRestCounter(exchange: MarketRest, clock: Clock): RestCounter {
  const kinds = { markets: 0, tickers: 0, candles: 0 };
  let times: number[] = [];
  const count = (kind: keyof typeof kinds) => {
    kinds[kind] += 1;
    const now = clock.now();
    times.push(now);
    if (times.length > 4_096) times = times.filter((t) => now - t < 60_000);
  };
  return {
    exchange: {
      listMarkets: () => (count('markets'), exchange.listMarkets()),
      fetchTickers: (markets) => (count('tickers'), exchange.fetchTickers(markets)),
      fetchCandles: (q) => (count('candles'), exchange.fetchCandles(q)),
    },
    total: () => kinds.markets + kinds.tickers + kinds.candles,
    byKind: () => ({ ...kinds }),
    perMinute() {
      const now = clock.now();
      return times.filter((t) => t > now - 60_000 && t <= now).length;
    },
  };
}

/** Closed 5-minute candles of one market in [from, to), oldest first; `to` and `from` are bucket boundaries. */
export async function fetchClosedCandles(rest: MarketRest, market: MarketCode, from: number, to: number): Promise<Candle[]> {
  const count = Math.max(1, Math.min(200, Math.round((to - from) / BUCKET_MS)));
  const candles = await rest.fetchCandles({ market, unit: 5, to, count });
  return candles.filter((c) => c.openTime >= from && c.openTime + BUCKET_MS <= to).sort((a, b) => a.openTime - b.openTime);
}

/** The last `count` closed candles before `to` (existing candles, not buckets: a quiet market reaches further back). */
export async function fetchLastCandles(rest: MarketRest, market: MarketCode, to: number, count: number): Promise<Candle[]> {
  const candles = await rest.fetchCandles({ market, unit: 5, to, count: Math.max(1, Math.min(200, count)) });
  return candles.filter((c) => c.openTime + BUCKET_MS <= to).sort((a, b) => a.openTime - b.openTime);
}

export type PoolResult<T> = { ok: Map<MarketCode, T>; failed: Map<MarketCode, unknown> };

/**
 * Runs `work` for each market with at most `concurrency` in flight, starting in the given order (most
 * traded first). `onDone` sees each success as it lands. Stops starting new work once `signal` aborts.
 */
export async function forEachMarket<T>(
  markets: readonly MarketCode[],
  concurrency: number,
  work: (market: MarketCode) => Promise<T>,
  onDone?: (market: MarketCode, value: T) => void,
  signal?: AbortSignal,
): Promise<PoolResult<T>> {
  const ok = new Map<MarketCode, T>();
  const failed = new Map<MarketCode, unknown>();
  let next = 0;
  async function worker() {
    while (next < markets.length && !signal?.aborted) {
      const market = markets[next++]!;
      try {
        const value = await work(market);
        ok.set(market, value);
        onDone?.(market, value);
      } catch (err) {
        failed.set(market, err);
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, markets.length)) }, worker));
  return { ok, failed };
}
