// core/decide addMarket: a market added later behaves as if it had been listed from the start without input so far.
import { describe, expect, test } from 'bun:test';
import { EV_CANDIDATES, readCandidates, readEvents, type StrategyEvent } from '../../src/core/decide-events.ts';
import { createStrategy } from '../../src/core/decide.ts';
import { DEFAULT_STRATEGY_SETTINGS, type Strategy, type StrategyOptions, type StrategySettings } from '../../src/core/strategy.ts';
import type { Signal } from '../../src/core/types.ts';
import { at } from './decide-harness.ts';

const [A, B, C, D, F] = ['KRW-A', 'KRW-B', 'KRW-C', 'KRW-D', 'KRW-F'];

type Input = { code: string; minute: number; o: number; h: number; l: number; c: number; v: number };
type Log = { events: StrategyEvent[]; candidates: Signal[][] };

const settings = (over: Partial<StrategySettings> = {}): StrategySettings => ({ ...DEFAULT_STRATEGY_SETTINGS, ...over });

/** Flat candles (o=h=l=c=100) of `codes` for minutes from..to, per-minute volume by code (default 1). */
function flat(codes: string[], from: number, to: number, volume: Record<string, number> = {}): Input[] {
  const out: Input[] = [];
  for (let minute = from; minute <= to; minute++) {
    for (const code of codes) out.push({ code, minute, o: 100, h: 100, l: 100, c: 100, v: volume[code] ?? 1 });
  }
  return out;
}

/** Feeds inputs by code; `onFirst` runs before a code's first input (the live bot's addMarket point). */
function feed(s: Strategy, inputs: Input[], log: Log, onFirst?: (code: string) => void): void {
  const seen = new Set<string>();
  for (const x of inputs) {
    if (!seen.has(x.code)) seen.add(x.code), onFirst?.(x.code);
    const count = s.candle(s.marketIndex(x.code), at(x.minute), x.o, x.h, x.l, x.c, x.v);
    if (count === 0) continue;
    log.events.push(...readEvents(s.events, s.markets));
    for (let i = 0; i < count; i++) if (s.events.kind[i] === EV_CANDIDATES) log.candidates.push(readCandidates(s.candidates, s.markets));
  }
}

const ratios = (list: Signal[]) => list.map((c) => [c.market, c.volumeRatio]);

describe('Strategy.addMarket', () => {
  // Prev-day candle, four flat buckets, then A and C tie at 3 (close 25); then B and C tie at 3 (close 30).
  const tieStream = [
    ...flat([A, B, C], -1, 19),
    ...flat([A, B, C], 20, 24, { [A]: 3, [C]: 3 }),
    ...flat([A, B, C], 25, 29, { [B]: 3, [C]: 4.5 }), // C's mean is (5+5+5+15)/4 = 7.5: 22.5 / 7.5 = 3
    ...flat([A, B, C], 30, 31),
  ];
  const constructions: [string, StrategyOptions['markets'], string[]][] = [
    ['built with [A,B,C]', [A, B, C], []],
    ['built with [A,B], C added before its first candle', [A, B], [C]],
    ['built with [B,C], A added (its code ranks first, its index last)', [B, C], [A]],
    ['built empty, every market added', [], [C, B, A]],
  ];

  test.each(constructions)('%s: the same events and ranked candidates, ties by market code', (_, built, added) => {
    const s = createStrategy(settings(), { markets: built, initialKrw: 10_000_000 });
    for (const code of added) s.addMarket(code);
    const log: Log = { events: [], candidates: [] };
    feed(s, tieStream, log);
    expect(log.candidates.map(ratios)).toEqual([[[A, 3], [C, 3]], [[B, 3], [C, 3]]]);
    expect(log.events.filter((e) => e.kind === 'entry').map((e) => e.market)).toEqual([A, B]);

    const reference: Log = { events: [], candidates: [] };
    feed(createStrategy(settings(), { markets: [A, B, C], initialKrw: 10_000_000 }), tieStream, reference);
    expect(log).toEqual(reference);
  });

  test('added mid-stream before its first candle, a market changes no decision of a strategy built with it', () => {
    const inputs = seededTape(7, [A, B, C, D], { [C]: 600, [D]: 1_500 });
    const reference: Log = { events: [], candidates: [] };
    const full = createStrategy(settings({ trailingStop: 0.01 }), { markets: [A, B, C, D], initialKrw: 1_000_000 });
    feed(full, inputs, reference);

    const grown: Log = { events: [], candidates: [] };
    const s = createStrategy(settings({ trailingStop: 0.01 }), { markets: [], initialKrw: 1_000_000 });
    feed(s, inputs, grown, (code) => s.addMarket(code));
    expect(s.markets).toEqual([A, B, C, D]);
    expect(reference.events.filter((e) => e.kind === 'exit').length).toBeGreaterThan(3);
    expect(reference.events.some((e) => e.kind === 'entry' && (e.market === C || e.market === D))).toBe(true);
    expect(grown).toEqual(reference);
    expect(s.stats()).toEqual(full.stats());
  });

  test('mid-stream: positions, pending entries and open buckets stay; the new market needs its own previous buckets', () => {
    const s = createStrategy(settings(), { markets: [A, B, D], fills: 'external', initialKrw: 1_000_000 });
    const log: Log = { events: [], candidates: [] };
    const [a, b, d] = [A, B, D].map((code) => s.marketIndex(code)) as [number, number, number];
    feed(s, [...flat([A, B, D], -1, 19), ...flat([A, B, D], 20, 24, { [A]: 3 })], log);
    s.closeUpTo(at(25));
    expect(s.confirmEntry(a, 100, 1_000, 50, at(25))).toBe(true);
    feed(s, flat([A, B, D], 25, 29, { [B]: 4 }), log);
    s.closeUpTo(at(30));
    // The open bucket 30–35 already holds D's first three minutes when C is added.
    feed(s, flat([A, B, D], 30, 32, { [D]: 3 }), log);
    const before = { a: s.position(a), b: s.position(b), stats: s.stats(), markets: s.markets };
    expect(before.b).toMatchObject({ state: 'pending' });

    const c = s.addMarket(C);
    expect(c).toBe(3);
    expect([A, B, D].map((code) => s.marketIndex(code))).toEqual([a, b, d]);
    expect({ a: s.position(a), b: s.position(b), stats: s.stats(), markets: s.markets }).toEqual(before);
    expect(s.position(c)).toBeNull();
    s.restorePrevDayClose(c, 100, at(32));

    log.candidates.length = 0;
    feed(s, [...flat([A, B, D], 33, 34, { [D]: 3 }), ...flat([C], 33, 34)], log);
    s.closeUpTo(at(35));
    expect(readCandidates(s.candidates, s.markets).map((x) => [x.market, x.volumeRatio])).toEqual([[D, 3]]);
    expect(s.confirmEntry(b, 200, 500, 50, at(35))).toBe(true);
    expect(s.price(a, at(35) + 1, 103)).toBe(1);
    expect(readEvents(s.events, s.markets)).toMatchObject([{ kind: 'exit', market: A, reason: 'take-profit', entryPrice: 100, volume: 1_000 }]);

    // C's buckets 30 (2 minutes), 35, 40, then a spike at 45 with only three before it: no signal; at 50 with four: a candidate.
    const rest = [...flat([A, B, D, C], 35, 44), ...flat([A, B, D, C], 45, 49, { [C]: 10 }), ...flat([A, B, D, C], 50, 54, { [C]: 10 })];
    feed(s, rest, log);
    expect(s.closeUpTo(at(55))).toBeGreaterThan(0);
    expect(log.candidates.map(ratios)).toEqual([]);
    expect(readCandidates(s.candidates, s.markets).map((x) => [x.market, x.volumeRatio])).toEqual([[C, 50 / ((2 + 5 + 5 + 50) / 4)]]);
  });

  test('added after several closes, a market takes its backfill (older than the last close) as its previous buckets', () => {
    const s = createStrategy(settings(), { markets: [A, B], fills: 'external', initialKrw: 1_000_000 });
    const log: Log = { events: [], candidates: [] };
    feed(s, flat([A, B], -1, 29), log);
    s.closeUpTo(at(30));
    const c = s.addMarket(C);
    // The backfill, oldest first: yesterday's last candle (the previous-day close), then minutes 10–29 (bucket 25 doubled).
    const backfill = [...flat([C], -5, -5), ...flat([C], 10, 24), ...flat([C], 25, 29, { [C]: 2 })];
    feed(s, backfill, log);
    expect(log.events).toEqual([]);
    expect(s.stats().lateInputs).toBe(0);
    // A constructor market's candle that old is still late, and so is C's once it has been in a close.
    s.candle(s.marketIndex(A), at(29) + 30_000, 100, 100, 100, 100, 50);
    expect(s.stats().lateInputs).toBe(1);

    feed(s, flat([A, B, C], 30, 34, { [C]: 3 }), log);
    expect(s.closeUpTo(at(35))).toBe(2);
    // Mean of C's buckets 10, 15, 20, 25 = (5 + 5 + 5 + 10) / 4; A's late volume was not added.
    expect(ratios(readCandidates(s.candidates, s.markets))).toEqual([[C, 15 / 6.25]]);
    expect(s.position(c)).toMatchObject({ state: 'pending' });
    s.candle(c, at(34) + 1, 100, 100, 100, 100, 1);
    expect(s.stats().lateInputs).toBe(2);
  });

  test('adding 300 markets (several growths) keeps every earlier market; ranking and closeAll cover the new ones', () => {
    const s = createStrategy(settings({ maxPositions: 1_000 }), { markets: [B, D, F], fills: 'external', autoEnter: false, initialKrw: 1e9 });
    const [b, d, f] = [B, D, F].map((code) => s.marketIndex(code)) as [number, number, number];
    const log: Log = { events: [], candidates: [] };
    feed(s, flat([B, D, F], -1, 19), log);
    s.restorePosition(d, 2_000, 50, 50, at(10), 2_100);
    s.setFlags(f, { isWarning: true, cautions: [] });
    s.restoreCooldown(b, at(-100));
    const before = { b: s.position(b), d: s.position(d), stats: s.stats() };
    const kindArray = s.events.kind;

    const codes = Array.from({ length: 300 }, (_, i) => (i % 2 === 0 ? `KRW-A${i}` : `KRW-C${i}`));
    expect(codes.map((code) => s.addMarket(code))).toEqual(codes.map((_, i) => 3 + i));
    expect(s.events.kind).not.toBe(kindArray); // the event buffer grew with the markets
    expect({ b: s.position(b), d: s.position(d), stats: s.stats() }).toEqual(before);
    expect(s.markets.slice(0, 3)).toEqual([B, D, F]);
    for (const code of codes) s.restorePrevDayClose(s.marketIndex(code), 100, at(19));

    // B's and F's rings were kept: their spikes at the first close after the adds are measured against them.
    const all = [B, D, F, ...codes];
    feed(s, flat(all, 20, 24, { [B]: 3, [F]: 4 }), log);
    s.closeUpTo(at(25));
    expect(readCandidates(s.candidates, s.markets).map((x) => [x.market, x.volumeRatio])).toEqual([[B, 3]]);
    // New markets have four buckets by the close at 45: a tie between old and new ranks by code, F stays flagged.
    // (B's mean is (5+5+5+15)/4 = 7.5: 22.5 / 7.5 = 3.)
    const spikes = { [B]: 4.5, [F]: 4, 'KRW-A8': 3, 'KRW-C101': 3, 'KRW-C299': 3.5 };
    feed(s, [...flat(all, 25, 39), ...flat(all, 40, 44, spikes)], log);
    s.closeUpTo(at(45));
    expect(readCandidates(s.candidates, s.markets).map((x) => [x.market, x.volumeRatio])).toEqual([
      ['KRW-C299', 3.5], ['KRW-A8', 3], [B, 3], ['KRW-C101', 3],
    ]);
    for (let i = 0; i < 40; i++) s.restorePosition(3 + i, 100, 10, 1, at(45));
    expect(s.closeAll(at(46))).toBe(41);
    expect(new Set(readEvents(s.events, s.markets).map((e) => ('market' in e ? e.market : '')))).toEqual(new Set([D, ...codes.slice(0, 40)]));
  });

  test("a new market's slot starts as the constructor's: no last close, no previous-day close", () => {
    const run = (s: Strategy): StrategyEvent[] => {
      const log: Log = { events: [], candidates: [] };
      // E trades only from 00:00 UTC, so it has no previous-day close: its spike at 20–25 is no signal.
      feed(s, [...flat([A], -1, -1), ...flat([A, 'KRW-E'], 0, 19), ...flat([A, 'KRW-E'], 20, 24, { 'KRW-E': 5 })], log);
      expect(s.closeUpTo(at(25))).toBe(0);
      s.restorePosition(s.marketIndex(F), 100, 10, 1, at(25));
      expect(s.closeAll(at(26))).toBe(1);
      return [...log.events, ...readEvents(s.events, s.markets)];
    };
    const built = run(createStrategy(settings(), { markets: [A, 'KRW-E', F], fills: 'external' }));
    const added = createStrategy(settings(), { markets: [A], fills: 'external' });
    added.addMarket('KRW-E');
    added.addMarket(F);
    expect(run(added)).toEqual(built);
    expect(built).toMatchObject([{ kind: 'exit', market: F, reason: 'end-of-data', price: Number.NaN }]);
  });

  test('addMarket of a known code returns its index and changes nothing', () => {
    const s = createStrategy(settings(), { markets: [A, B], fills: 'external', initialKrw: 1_000_000 });
    const log: Log = { events: [], candidates: [] };
    feed(s, [...flat([A, B], -1, 19), ...flat([A, B], 20, 24, { [B]: 3 })], log);
    s.closeUpTo(at(25));
    const markets = s.markets;
    const arrays = [s.events.kind, s.candidates.market];
    const before = { stats: s.stats(), b: s.position(1), candidates: readCandidates(s.candidates, s.markets) };
    expect(s.addMarket(B)).toBe(1);
    expect(s.addMarket(A)).toBe(0);
    expect(s.markets).toBe(markets);
    expect(s.markets).toEqual([A, B]);
    expect([s.events.kind, s.candidates.market]).toEqual(arrays);
    expect(s.events.kind).toBe(arrays[0]!);
    expect({ stats: s.stats(), b: s.position(1), candidates: readCandidates(s.candidates, s.markets) }).toEqual(before);
  });
});

/** Seeded minute candles over two days with rare volume bursts; a market's candles start at its `firstMinute`. */
function seededTape(seed: number, codes: string[], firstMinute: Record<string, number>): Input[] {
  let x = seed;
  const rnd = () => ((x = (Math.imul(x, 1_664_525) + 1_013_904_223) >>> 0) / 4_294_967_296);
  const price = codes.map((_, i) => 1_000 * (i + 1));
  const out: Input[] = [];
  for (let minute = -120; minute < 2 * 1440; minute++) {
    codes.forEach((code, i) => {
      if (minute < (firstMinute[code] ?? -Infinity) || rnd() < 0.03) return;
      const o = price[i]!;
      const c = o * (1 + (rnd() - 0.5) * 0.012);
      price[i] = c;
      const v = rnd() < 0.01 ? 20 + 40 * rnd() : 1 + rnd();
      out.push({ code, minute, o, h: Math.max(o, c) * (1 + rnd() * 0.004), l: Math.min(o, c) * (1 - rnd() * 0.004), c, v });
    });
  }
  return out;
}
