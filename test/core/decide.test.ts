import { describe, expect, test } from 'bun:test';
import { readCandidates } from '../../src/core/decide-events.ts';
import { toStrategySettings } from '../../src/core/strategy.ts';
import { at, harness } from './decide-harness.ts';

const ABC = ['KRW-A', 'KRW-B', 'KRW-C'];

describe('createStrategy: signals and entries', () => {
  test('a spike at a 5-minute close enters the top candidate, filled at its next candle open', () => {
    const h = harness(ABC);
    h.warmUp();
    expect(h.run(20, 24, 100, { 'KRW-A': 3, 'KRW-B': 2.5, 'KRW-C': 1 })).toEqual([]);
    expect(h.candle('KRW-A', 25, 100, 100, 100, 100, 1)).toEqual([
      { kind: 'candidates', time: at(25), count: 2 },
      { kind: 'entry', market: 'KRW-A', time: at(25), volumeRatio: 3 },
      { kind: 'entry-filled', market: 'KRW-A', time: at(25), price: 100, volume: 1000, feeKrw: 50 },
    ]);
    expect(readCandidates(h.s.candidates, ABC).map((c) => [c.market, c.volumeRatio, c.prevDayClose])).toEqual([
      ['KRW-A', 3, 100],
      ['KRW-B', 2.5, 100],
    ]);
    expect(h.s.stats()).toMatchObject({ openPositions: 1, pendingEntries: 0, freeKrw: Number.POSITIVE_INFINITY });
  });

  test('ranking ties are broken by market code ascending', () => {
    const h = harness(['KRW-B', 'KRW-C', 'KRW-A']);
    h.warmUp();
    h.run(20, 24, 100, 3);
    h.run(25, 25);
    expect(h.log.filter((e) => e.kind === 'entry').map((e) => e.kind === 'entry' && e.market)).toEqual(['KRW-A']);
    expect(readCandidates(h.s.candidates, h.s.markets).map((c) => c.market)).toEqual(['KRW-A', 'KRW-B', 'KRW-C']);
  });

  test('a held market is never a candidate and one close makes at most one entry', () => {
    const h = harness(ABC);
    h.warmUp();
    h.run(20, 24, 100, { 'KRW-A': 3 });
    h.run(25, 29);
    const second = h.run(30, 35, 100, { 'KRW-A': 3, 'KRW-B': 4, 'KRW-C': 2.2 });
    expect(second.filter((e) => e.kind === 'entry' || e.kind === 'candidates')).toEqual([
      { kind: 'candidates', time: at(35), count: 2 },
      { kind: 'entry', market: 'KRW-B', time: at(35), volumeRatio: 4 },
    ]);
    expect(readCandidates(h.s.candidates, ABC).map((c) => c.market)).toEqual(['KRW-B', 'KRW-C']);
    expect(h.s.stats().openPositions).toBe(2);
  });

  test('max positions counts pending entries', () => {
    const h = harness(ABC, { maxPositions: 1 }, { fills: 'external' });
    h.warmUp();
    h.run(20, 25, 100, { 'KRW-A': 3 });
    expect(h.s.position(h.idx('KRW-A'))).toMatchObject({ state: 'pending' });
    h.run(26, 29);
    const events = h.run(30, 35, 100, { 'KRW-B': 3 });
    expect(events.map((e) => e.kind)).toEqual(['candidates', 'entry-refused']);
    expect(h.s.lastRefusal()).toMatchObject({ ok: false, rule: 'max-positions' });
  });

  test('warning, caution and delisting markets are never candidates', () => {
    const h = harness(ABC);
    h.s.setFlags(h.idx('KRW-A'), { isWarning: false, cautions: ['TRADING_VOLUME_SOARING'] });
    h.s.setFlags(h.idx('KRW-C'), { isWarning: false, cautions: [], delistingDate: '2025-10-01' });
    h.warmUp();
    h.run(20, 25, 100, 3);
    expect(readCandidates(h.s.candidates, ABC).map((c) => c.market)).toEqual(['KRW-B']);
  });

  test('the price filter drops closes beyond ±5% of the previous-day close and keeps ±5% exactly', () => {
    const h = harness(['KRW-A', 'KRW-B', 'KRW-C', 'KRW-D'], { maxPositions: 4 });
    h.warmUp();
    h.run(20, 25, { 'KRW-A': 105.1, 'KRW-B': 94.9, 'KRW-C': 105, 'KRW-D': 95 }, 3);
    expect(readCandidates(h.s.candidates, h.s.markets).map((c) => c.market)).toEqual(['KRW-C', 'KRW-D']);
  });

  test('without a previous UTC day close there is no signal', () => {
    const h = harness(ABC);
    h.run(0, 19);
    expect(h.run(20, 25, 100, 3)).toEqual([]);
  });

  test('a bucket with no minute has no candle: an idle market compares with its four previous existing candles', () => {
    const h = harness(['KRW-A']);
    h.run(-1, -1);
    for (const minute of [0, 5, 10, 70]) h.candle('KRW-A', minute, 100, 100, 100, 100, 5);
    expect(h.candle('KRW-A', 200, 100, 100, 100, 100, 10)).toEqual([]);
    expect(h.candle('KRW-A', 300, 100, 100, 100, 100, 1).map((e) => e.kind)).toEqual(['candidates', 'entry', 'entry-filled']);
  });

  test('free KRW below amount plus fee refuses the entry', () => {
    const h = harness(ABC, {}, { initialKrw: 100_049 });
    h.warmUp();
    expect(h.run(20, 25, 100, { 'KRW-A': 3 }).map((e) => e.kind)).toEqual(['candidates', 'entry-refused']);
    expect(h.s.lastRefusal()).toMatchObject({ rule: 'funds' });
  });

  test('toStrategySettings maps the config variables', () => {
    const s = toStrategySettings({
      INVESTMENT_AMOUNT: 50_000, PROFIT_RATE: 0.04, LOSS_RATE: -0.01, TRAILING_STOP: 0.01, MAX_HOLD_MINUTES: null,
      DAILY_LOSS_LIMIT: -10_000, MAX_POSITIONS: 2, VOLUME_SPIKE_THRESHOLD: 3, PRICE_CHANGE_LIMIT: 0.1, COOLDOWN_MINUTES: 0,
    });
    expect(s).toEqual({
      investmentKrw: 50_000, profitRate: 0.04, lossRate: -0.01, trailingStop: 0.01, maxHoldMinutes: null, dailyLossLimit: -10_000,
      maxPositions: 2, volumeSpikeThreshold: 3, priceChangeLimit: 0.1, cooldownMinutes: 0, feeRate: 0.0005,
    });
  });
});

describe('createStrategy: risk over time', () => {
  test('the daily loss limit blocks entries until 00:00 KST (15:00 UTC), while exits go on', () => {
    const h = harness(ABC, { investmentKrw: 1_000_000, dailyLossLimit: -20_000, cooldownMinutes: 0 });
    h.warmUp(840); // 14:00 UTC
    h.run(860, 864, 100, { 'KRW-A': 3 });
    h.run(865, 865);
    const stop = h.candle('KRW-A', 866, 100, 100, 97, 98, 1);
    expect(stop).toMatchObject([{ kind: 'exit', reason: 'stop-loss', price: 98 }]);
    expect(h.s.stats().realisedPnlTodayKrw).toBeCloseTo(980_000 - 490 - 1_000_500, 6);
    h.run(867, 869);
    expect(h.run(870, 875, 100, { 'KRW-B': 3 }).map((e) => e.kind)).toEqual(['candidates', 'entry-refused']);
    expect(h.s.lastRefusal()).toMatchObject({ rule: 'daily-loss' });
    h.run(876, 899);
    expect(h.run(900, 905, 100, { 'KRW-B': 3 }).filter((e) => e.kind === 'entry')).toMatchObject([{ market: 'KRW-B', time: at(905) }]);
    expect(h.s.stats().realisedPnlTodayKrw).toBe(0);
  });

  test('after a stop-loss the market is skipped for the cooldown, then eligible again; 0 disables it', () => {
    for (const [cooldownMinutes, entryAt] of [[30, 60], [0, 35]] as const) {
      const h = harness(['KRW-A'], { cooldownMinutes });
      h.warmUp();
      h.run(20, 24, 100, 3);
      h.run(25, 25);
      h.candle('KRW-A', 26, 100, 100, 97, 98, 1);
      h.run(27, 29);
      h.run(30, 34, 100, 3);
      h.run(35, 54);
      h.run(55, 59, 100, 3);
      h.run(60, 60);
      expect(h.log.filter((e) => e.kind === 'entry').map((e) => e.time)).toEqual([at(25), at(entryAt)]);
    }
  });
});
