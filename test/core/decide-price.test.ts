import { describe, expect, test } from 'bun:test';
import { at, harness } from './decide-harness.ts';

const AB = ['KRW-A', 'KRW-B'];

describe('createStrategy live price updates', () => {
  test('price() checks the exits of an open position and never evaluates a close', () => {
    const h = harness(AB, {}, { fills: 'external', autoEnter: false });
    const a = h.idx('KRW-A');
    h.warmUp();
    h.run(20, 24, 100, { 'KRW-A': 3 });
    h.s.restorePosition(h.idx('KRW-B'), 100, 1_000, 50, at(24));
    // A price in the next bucket must not close the 20–25 bucket: the caller evaluates it with closeUpTo.
    expect(h.s.price(a, at(26), 100)).toBe(0);
    expect(h.s.closeUpTo(at(25))).toBe(1);
    expect(h.collect()).toMatchObject([{ kind: 'candidates', time: at(25), count: 1 }]);
    expect(h.s.price(h.idx('KRW-B'), at(27), 97.9)).toBe(1);
    expect(h.collect()).toMatchObject([{ kind: 'exit', market: 'KRW-B', reason: 'stop-loss', price: 97.9 }]);
  });

  test('with external fills a closed candle reaching the stop-loss does not exit (its range may predate the entry)', () => {
    const h = harness(AB, {}, { fills: 'external' });
    const b = h.idx('KRW-B');
    h.warmUp();
    h.s.restorePosition(b, 100, 1_000, 50, at(21) + 30_000);
    expect(h.candle('KRW-B', 21, 100, 100, 90, 100, 1)).toEqual([]);
    expect(h.s.position(b)).toMatchObject({ state: 'open' });
  });

  test('with simulated fills the same candle does exit at the stop-loss', () => {
    const h = harness(AB);
    const b = h.idx('KRW-B');
    h.warmUp();
    h.s.restorePosition(b, 100, 1_000, 50, at(21));
    expect(h.candle('KRW-B', 21, 100, 100, 90, 100, 1)).toMatchObject([{ kind: 'exit', reason: 'stop-loss', price: 98 }]);
  });

  test('forgetPosition drops a position sold elsewhere without booking PnL', () => {
    const h = harness(AB, {}, { fills: 'external', initialKrw: 1_000_000 });
    const a = h.idx('KRW-A');
    h.s.restorePosition(a, 100, 1_000, 50, at(1));
    expect(h.s.forgetPosition(a)).toBe(true);
    expect(h.s.position(a)).toBeNull();
    expect(h.s.stats()).toMatchObject({ openPositions: 0, realisedPnlTotalKrw: 0, realisedPnlTodayKrw: 0 });
    expect(h.s.forgetPosition(a)).toBe(false);
    expect(h.s.price(a, at(2), 50)).toBe(0);
  });
});

describe('createStrategy restored previous-day close', () => {
  test('a spike is a candidate once the previous UTC-day close is restored, and not without it', () => {
    const run = (restore: boolean) => {
      const h = harness(AB, {}, { fills: 'external', autoEnter: false });
      const a = h.idx('KRW-A');
      // History of one market starting after 00:00 UTC: its candles never crossed a UTC midnight.
      for (let minute = 0; minute < 25; minute += 5) h.candle('KRW-A', minute, 100, 100, 100, 100, minute === 20 ? 10 : 1);
      if (restore) h.s.restorePrevDayClose(a, 99, at(24));
      h.s.closeUpTo(at(25));
      return h.collect();
    };
    expect(run(false)).toEqual([]);
    expect(run(true)).toMatchObject([{ kind: 'candidates', count: 1 }]);
  });
});
