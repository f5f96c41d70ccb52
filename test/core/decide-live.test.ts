import { describe, expect, test } from 'bun:test';
import { at, harness } from './decide-harness.ts';

const ABC = ['KRW-A', 'KRW-B', 'KRW-C'];

describe('createStrategy driven live (external fills)', () => {
  test('closeUpTo evaluates a close without waiting for the next candle', () => {
    const h = harness(ABC, {}, { fills: 'external' });
    h.warmUp();
    h.run(20, 24, 100, { 'KRW-B': 3 });
    expect(h.s.closeUpTo(at(25) - 1)).toBe(0);
    expect(h.s.closeUpTo(at(25) + 2_000)).toBe(2);
    expect(h.collect()).toEqual([
      { kind: 'candidates', time: at(25), count: 1 },
      { kind: 'entry', market: 'KRW-B', time: at(25), volumeRatio: 3 },
    ]);
    expect(h.s.closeUpTo(at(25) + 3_000)).toBe(0);
  });

  test('an entry intent waits for confirmEntry; an exit intent for confirmExit, which books the PnL', () => {
    const h = harness(ABC, {}, { fills: 'external', initialKrw: 1_000_000 });
    const b = h.idx('KRW-B');
    h.warmUp();
    h.run(20, 24, 100, { 'KRW-B': 3 });
    h.s.closeUpTo(at(25));
    expect(h.s.stats()).toMatchObject({ pendingEntries: 1, freeKrw: 1_000_000 - 100_050 });
    h.run(25, 25);
    expect(h.s.position(b)).toMatchObject({ state: 'pending' });
    expect(h.s.confirmEntry(b, 101, 990, 50, at(26))).toBe(true);
    expect(h.s.position(b)).toMatchObject({ state: 'open', entryPrice: 101, volume: 990, takeProfit: 101 * 1.03, stopLoss: 101 * 0.98 });
    expect(h.s.tick(b, at(27), 104, 0)).toBe(0);
    expect(h.s.tick(b, at(27) + 500, 104.1, 0.5)).toBe(1);
    expect(h.collect()).toMatchObject([{ kind: 'exit', market: 'KRW-B', reason: 'take-profit', price: 104.1, entryPrice: 101 }]);
    expect(h.s.tick(b, at(27) + 900, 105, 0)).toBe(0);
    const pnl = h.s.confirmExit(b, 104, 51.48, at(28));
    expect(pnl).toBeCloseTo(104 * 990 - 51.48 - (101 * 990 + 50), 9);
    expect(h.s.stats()).toMatchObject({ openPositions: 0, pendingEntries: 0, realisedPnlTotalKrw: pnl });
    expect(h.s.stats().freeKrw).toBeCloseTo(1_000_000 + pnl, 6);
  });

  test('a cancelled sell resumes the checks and a cancelled entry frees its slot', () => {
    const h = harness(ABC, {}, { fills: 'external' });
    const a = h.idx('KRW-A');
    h.warmUp();
    h.run(20, 25, 100, { 'KRW-A': 3 });
    expect(h.s.cancelEntry(a)).toBe(true);
    expect(h.s.stats().pendingEntries).toBe(0);
    h.s.restorePosition(a, 100, 1000, 50, at(26));
    h.s.tick(a, at(27), 97, 0);
    expect(h.collect()).toMatchObject([{ kind: 'exit', reason: 'stop-loss', price: 97 }]);
    expect(h.s.cancelExit(a)).toBe(true);
    h.s.tick(a, at(27) + 1, 96, 0);
    expect(h.collect()).toMatchObject([{ kind: 'exit', reason: 'stop-loss', price: 96 }]);
  });

  test('with the adviser on, the caller enters one candidate per close and nothing else', () => {
    const h = harness(ABC, {}, { fills: 'external', autoEnter: false });
    h.warmUp();
    h.run(20, 25, 100, { 'KRW-A': 4, 'KRW-B': 3 });
    expect(h.log.map((e) => e.kind)).toEqual(['candidates']);
    expect(h.s.enter(h.idx('KRW-C'), at(25) + 3_000)).toMatchObject({ ok: false, rule: 'not-a-candidate' });
    expect(h.s.enter(h.idx('KRW-B'), at(25) + 3_000)).toEqual({ ok: true });
    expect(h.collect()).toEqual([{ kind: 'entry', market: 'KRW-B', time: at(25) + 3_000, volumeRatio: 3 }]);
    expect(h.s.enter(h.idx('KRW-A'), at(25) + 4_000)).toMatchObject({ ok: false, rule: 'one-per-close' });
  });

  test('a manual sell is an exit intent with reason manual', () => {
    const h = harness(ABC, {}, { fills: 'external' });
    const a = h.idx('KRW-A');
    h.s.restorePosition(a, 100, 1000, 50, at(0), 102);
    expect(h.s.position(a)).toMatchObject({ highPrice: 102 });
    expect(h.s.requestExit(a, 101, at(1))).toBe(true);
    expect(h.collect()).toMatchObject([{ kind: 'exit', reason: 'manual', price: 101 }]);
    expect(h.s.confirmExit(a, 101, 50.5, at(1))).toBeCloseTo(101_000 - 50.5 - 100_050, 9);
  });

  test('restorePending holds a slot and reserves its KRW; confirmEntry or forgetPosition resolve it', () => {
    const h = harness(ABC, { maxPositions: 2 }, { fills: 'external', autoEnter: false, initialKrw: 1_000_000 });
    const [a, b, c] = [h.idx('KRW-A'), h.idx('KRW-B'), h.idx('KRW-C')];
    h.s.restorePosition(a, 100, 1000, 50, at(0));
    expect(h.s.restorePending(b)).toBe(true);
    expect(h.s.restorePending(b)).toBe(false); // already pending
    expect(h.s.restorePending(a)).toBe(false); // held
    expect(h.s.stats()).toMatchObject({ openPositions: 1, pendingEntries: 1, freeKrw: 1_000_000 - 100_050 });
    h.warmUp();
    h.run(20, 24, 100, { 'KRW-C': 3 });
    h.s.closeUpTo(at(25));
    expect(h.s.enter(c, at(25))).toMatchObject({ ok: false, rule: 'max-positions' });
    expect(h.s.confirmEntry(b, 101, 990, 50, at(26))).toBe(true);
    expect(h.s.stats()).toMatchObject({ openPositions: 2, pendingEntries: 0 });
    expect(h.s.position(b)).toMatchObject({ state: 'open', entryPrice: 101, highPrice: 101 });

    const g = harness(ABC, {}, { fills: 'external', initialKrw: 1_000_000 });
    g.s.restorePending(g.idx('KRW-B'));
    expect(g.s.forgetPosition(g.idx('KRW-B'))).toBe(true);
    expect(g.s.stats()).toMatchObject({ openPositions: 0, pendingEntries: 0, freeKrw: 1_000_000 });
  });

  test('highPrice(m) follows the position\'s high and is NaN without an open position', () => {
    const h = harness(ABC, { profitRate: 0.5 }, { fills: 'external' });
    const a = h.idx('KRW-A');
    expect(h.s.highPrice(a)).toBeNaN();
    h.s.restorePending(a);
    expect(h.s.highPrice(a)).toBeNaN();
    h.s.confirmEntry(a, 100, 1000, 50, at(0));
    expect(h.s.highPrice(a)).toBe(100);
    h.s.price(a, at(1), 104);
    h.s.price(a, at(2), 103);
    expect(h.s.highPrice(a)).toBe(104);
    h.s.requestExit(a, 103, at(3));
    expect(h.s.highPrice(a)).toBe(h.s.position(a)!.highPrice);
    h.s.confirmExit(a, 103, 50, at(3));
    expect(h.s.highPrice(a)).toBeNaN();
  });
});

describe('createStrategy driven by a backtest (simulated fills)', () => {
  test('inputs older than the last evaluated close are ignored and counted', () => {
    const h = harness(ABC);
    h.run(0, 5);
    expect(h.s.candle(0, at(4), 1, 1, 1, 1, 1)).toBe(0);
    expect(h.s.stats().lateInputs).toBe(1);
  });

  test('closeAll sells open positions at their last close with reason end-of-data and drops pending entries', () => {
    const h = harness(ABC);
    h.warmUp();
    h.run(20, 24, 100, { 'KRW-A': 3 });
    h.run(25, 27, 101);
    h.s.closeUpTo(at(30));
    h.s.closeAll(at(28));
    expect(h.collect()).toMatchObject([{ kind: 'exit', market: 'KRW-A', reason: 'end-of-data', price: 101, entryPrice: 101 }]);
    expect(h.s.stats()).toMatchObject({ openPositions: 0, pendingEntries: 0 });
  });

  test('ticks fill a pending entry at the tick price and exit at the tick price', () => {
    const h = harness(['KRW-A']);
    h.warmUp();
    h.run(20, 24, 100, 3);
    h.s.tick(0, at(25) + 100, 100.5, 1);
    expect(h.collect().map((e) => e.kind)).toEqual(['candidates', 'entry', 'entry-filled']);
    h.s.tick(0, at(25) + 200, 103.6, 1);
    expect(h.collect()).toMatchObject([{ kind: 'exit', reason: 'take-profit', price: 103.6 }]);
  });
});
