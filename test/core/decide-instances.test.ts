// core/decide: several strategies in one process keep their own state; inputs not later than a market's last one add no volume.
import { describe, expect, test } from 'bun:test';
import { readEvents, type StrategyEvent } from '../../src/core/decide-events.ts';
import { createStrategy } from '../../src/core/decide.ts';
import { DEFAULT_STRATEGY_SETTINGS, type StrategySettings } from '../../src/core/strategy.ts';
import type { Strategy } from '../../src/core/strategy.ts';

const MARKETS = ['KRW-AAA', 'KRW-BBB', 'KRW-CCC', 'KRW-DDD'];
const START = Date.UTC(2025, 8, 1, 22);
const MIN = 60_000;

type Candle = [m: number, t: number, o: number, h: number, l: number, c: number, v: number];

/** Two days of seeded minute candles with rare volume bursts (enough spikes for entries and exits). */
function tape(seed: number): Candle[] {
  let x = seed;
  const rnd = () => ((x = (Math.imul(x, 1_664_525) + 1_013_904_223) >>> 0) / 4_294_967_296);
  const price = MARKETS.map((_, m) => 1_000 * (m + 1));
  const out: Candle[] = [];
  for (let minute = 0; minute < 2 * 1440; minute++) {
    for (let m = 0; m < MARKETS.length; m++) {
      if (rnd() < 0.03) continue;
      const o = price[m]!;
      const c = o * (1 + (rnd() - 0.5) * 0.012);
      price[m] = c;
      const v = rnd() < 0.01 ? 20 + 40 * rnd() : 1 + rnd();
      out.push([m, START + minute * MIN, o, Math.max(o, c) * (1 + rnd() * 0.004), Math.min(o, c) * (1 - rnd() * 0.004), c, v]);
    }
  }
  return out;
}

const feed = (s: Strategy, c: Candle, log: StrategyEvent[]): void => {
  if (s.candle(...c) !== 0) log.push(...readEvents(s.events, MARKETS));
};

const settings = (over: Partial<StrategySettings> = {}): StrategySettings => ({ ...DEFAULT_STRATEGY_SETTINGS, trailingStop: 0.01, ...over });

describe('createStrategy instances', () => {
  test('a strategy fed alone and one fed interleaved with two others produce the same events', () => {
    const candles = tape(11);
    const alone: StrategyEvent[] = [];
    const a = createStrategy(settings(), { markets: MARKETS, initialKrw: 1_000_000 });
    for (const c of candles) feed(a, c, alone);
    a.closeAll(candles.at(-1)![1]);
    alone.push(...readEvents(a.events, MARKETS));

    const mixed: StrategyEvent[] = [];
    const b = createStrategy(settings(), { markets: MARKETS, initialKrw: 1_000_000 });
    const other = createStrategy(settings({ profitRate: 0.01, maxPositions: 1 }), { markets: MARKETS, initialKrw: 500_000, intervalMs: 900_000 });
    const live = createStrategy(settings(), { markets: MARKETS, fills: 'external', autoEnter: false, initialKrw: 0 });
    const ignored: StrategyEvent[] = [];
    for (const c of candles) {
      feed(other, c, ignored);
      feed(b, c, mixed);
      feed(live, c, ignored);
    }
    b.closeAll(candles.at(-1)![1]);
    mixed.push(...readEvents(b.events, MARKETS));

    expect(alone.filter((e) => e.kind === 'exit').length).toBeGreaterThan(2);
    expect(mixed).toEqual(alone);
    expect(b.stats()).toEqual(a.stats());
  });

  test('an older minute of a market inside the open bucket adds no volume and changes no decision', () => {
    const candles = tape(5);
    const clean = createStrategy(settings(), { markets: MARKETS, initialKrw: 1_000_000 });
    const noisy = createStrategy(settings(), { markets: MARKETS, initialKrw: 1_000_000 });
    const a: StrategyEvent[] = [];
    const b: StrategyEvent[] = [];
    for (const [i, c] of candles.entries()) {
      feed(clean, c, a);
      feed(noisy, c, b);
      // An older minute of a market without a position (with one it would meet the exit checks): not later
      // than the market's last input, so its volume is ignored (or it is late: before the last close).
      if (i % 7 === 3 && noisy.position(c[0]) === null) feed(noisy, [c[0], c[1] - MIN, c[2], c[3], c[4], c[5], 1_000], b);
    }
    expect(a.filter((e) => e.kind === 'entry').length).toBeGreaterThan(2);
    expect(b).toEqual(a);
    expect(noisy.stats().realisedPnlTotalKrw).toBe(clean.stats().realisedPnlTotalKrw);
  });
});
