// Test harness for core/decide: feeds minute candles by minute offset and collects decoded events.
import { readEvents, type StrategyEvent } from '../../src/core/decide-events.ts';
import { createStrategy } from '../../src/core/decide.ts';
import { DEFAULT_STRATEGY_SETTINGS, type StrategyOptions, type StrategySettings } from '../../src/core/strategy.ts';

export const MIN = 60_000;
/** 2025-09-02 00:00 UTC; minute −1 is on the previous UTC day. */
export const DAY0 = Date.UTC(2025, 8, 2);
export const at = (minute: number): number => DAY0 + minute * MIN;

type PerMarket = number | Record<string, number>;
const pick = (v: PerMarket, market: string, fallback: number): number => (typeof v === 'number' ? v : (v[market] ?? fallback));

export function harness(markets: string[], over: Partial<StrategySettings> = {}, opts: Partial<StrategyOptions> = {}) {
  const s = createStrategy({ ...DEFAULT_STRATEGY_SETTINGS, ...over }, { ...opts, markets });
  const log: StrategyEvent[] = [];
  const collect = (): StrategyEvent[] => {
    const list = readEvents(s.events, markets);
    log.push(...list);
    return list;
  };
  const idx = (market: string): number => s.marketIndex(market);

  return {
    s,
    log,
    idx,
    collect,
    /** One candle of one market at a minute offset; returns its events. */
    candle(market: string, minute: number, o: number, h: number, l: number, c: number, v: number): StrategyEvent[] {
      s.candle(idx(market), at(minute), o, h, l, c, v);
      return collect();
    },
    /** Flat candles (o=h=l=c=price) for every market, minutes from..to inclusive, per-minute volume. */
    run(from: number, to: number, price: PerMarket = 100, volume: PerMarket = 1): StrategyEvent[] {
      const out: StrategyEvent[] = [];
      for (let minute = from; minute <= to; minute++) {
        for (const market of markets) {
          const p = pick(price, market, 100);
          s.candle(idx(market), at(minute), p, p, p, p, pick(volume, market, 1));
          out.push(...collect());
        }
      }
      return out;
    },
    /** A previous-UTC-day candle at minute −1, then four flat 5-minute buckets of volume 5 from `start`. */
    warmUp(start = 0, price: PerMarket = 100): void {
      this.run(-1, -1, price, 1);
      this.run(start, start + 19, price, 1);
    },
  };
}
