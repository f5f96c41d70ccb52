// The last N closed 5-minute candles per market (for the adviser's context and the dashboard chart).
import type { Candle, MarketCode } from '../core/types.ts';

export function createRecentCandles(size: number) {
  const byMarket = new Map<MarketCode, Candle[]>();
  return {
    /** Adds a closed candle; a repeat of the same bucket replaces it; older buckets than the last are ignored. */
    push(market: MarketCode, c: Candle): void {
      const list = byMarket.get(market) ?? [];
      const last = list[list.length - 1];
      if (last && c.openTime < last.openTime) return;
      if (last && c.openTime === last.openTime) list[list.length - 1] = c;
      else list.push(c);
      if (list.length > size) list.splice(0, list.length - size);
      byMarket.set(market, list);
    },
    /** Oldest first. */
    get: (market: MarketCode): Candle[] => [...(byMarket.get(market) ?? [])],
  };
}
