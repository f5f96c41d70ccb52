// Live 5-minute buckets from the socket, the last tick per bucket, and which bucket closes the socket fully saw.
import type { Candle, MarketCode } from '../core/types.ts';

export const BUCKET_MS = 300_000;

export const bucketStart = (t: number): number => Math.floor(t / BUCKET_MS) * BUCKET_MS;

type Tick = { price: number; time: number };

/**
 * Per market, the latest running candle of each open bucket and the last tick seen in each bucket.
 * A bucket's candle is cumulative, so the update with the larger volume wins; equal volumes: the later one.
 */
export type CandleBook = {
  /** False when the bucket is already closed (late update) or the candle is not a 5-minute bucket. */
  putCandle(candle: Candle): boolean;
  putTick(market: MarketCode, price: number, time: number): void;
  candle(market: MarketCode, start: number): Candle | null;
  /**
   * Markets whose socket candle for the bucket `start` looks stale: a tick traded inside the bucket
   * but no candle arrived, or the candle's close differs from the bucket's last traded price.
   */
  suspects(markets: readonly MarketCode[], start: number): MarketCode[];
  /** Forgets buckets starting before `start`; later updates for them are refused. */
  closeBefore(start: number): void;
  size(): number;
};

export function createCandleBook(): CandleBook {
  const candles = new Map<MarketCode, Map<number, Candle>>();
  const ticks = new Map<MarketCode, Map<number, Tick>>();
  let floor = -Infinity;
  const slot = <V>(map: Map<MarketCode, Map<number, V>>, market: MarketCode) => {
    let m = map.get(market);
    if (!m) map.set(market, (m = new Map()));
    return m;
  };

  return {
    putCandle(c) {
      if (c.openTime < floor || c.openTime % BUCKET_MS !== 0) return false;
      const byStart = slot(candles, c.market);
      const prev = byStart.get(c.openTime);
      if (!prev || c.volume >= prev.volume) byStart.set(c.openTime, c);
      return true;
    },
    putTick(market, price, time) {
      const start = bucketStart(time);
      if (start < floor) return;
      const byStart = slot(ticks, market);
      const prev = byStart.get(start);
      if (!prev || time >= prev.time) byStart.set(start, { price, time });
    },
    candle: (market, start) => candles.get(market)?.get(start) ?? null,
    suspects(markets, start) {
      const out: MarketCode[] = [];
      for (const m of markets) {
        const tick = ticks.get(m)?.get(start);
        if (!tick) continue;
        const c = candles.get(m)?.get(start);
        if (!c || c.close !== tick.price) out.push(m);
      }
      return out;
    },
    closeBefore(start) {
      floor = Math.max(floor, start);
      for (const map of [candles, ticks] as Map<MarketCode, Map<number, unknown>>[]) {
        for (const [market, byStart] of map) {
          for (const s of byStart.keys()) if (s < floor) byStart.delete(s);
          if (byStart.size === 0) map.delete(market);
        }
      }
    },
    size: () => [...candles.values()].reduce((n, m) => n + m.size, 0),
  };
}

/**
 * When the socket saw a market continuously. A bucket ending at E is covered for a market when one
 * connection delivered data before E (its subscribe snapshot is cumulative) and stayed up until
 * E + settleMs (the bucket's last push arrives up to a second late), and the market was subscribed before E.
 */
export type Coverage = {
  /** First data of a new connection. */
  opened(at: number): void;
  closed(at: number): void;
  subscribed(markets: readonly MarketCode[], at: number): void;
  covers(market: MarketCode, end: number, settleMs: number): boolean;
  isOpen(): boolean;
};

export function createCoverage(keepIntervals = 16): Coverage {
  const intervals: { from: number; to: number | null }[] = [];
  const since = new Map<MarketCode, number>();
  const last = () => intervals[intervals.length - 1];
  return {
    opened(at) {
      if (last()?.to === null) return;
      intervals.push({ from: at, to: null });
      if (intervals.length > keepIntervals) intervals.shift();
    },
    closed(at) {
      const l = last();
      if (l && l.to === null) l.to = at;
    },
    subscribed(markets, at) {
      const keep = new Set(markets);
      for (const m of since.keys()) if (!keep.has(m)) since.delete(m);
      for (const m of markets) if (!since.has(m)) since.set(m, at);
    },
    covers(market, end, settleMs) {
      const s = since.get(market);
      if (s === undefined || s >= end) return false;
      return intervals.some((i) => i.from < end && (i.to === null || i.to >= end + settleMs));
    },
    isOpen: () => last()?.to === null,
  };
}
