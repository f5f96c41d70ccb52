import { describe, expect, test } from 'bun:test';
import { checkCandle, checkPrice, openLevels, type ExitSettings } from '../../src/core/exit-rules.ts';

const T = Date.UTC(2025, 8, 2, 1);
const MIN = 60_000;
const base: ExitSettings = { profitRate: 0.03, lossRate: -0.02, trailingStop: null, maxHoldMinutes: null };
const bar = (minute: number, open: number, high: number, low: number, close: number) => ({ openTime: T + minute * MIN, open, high, low, close });

describe('checkPrice (live)', () => {
  test('take-profit and stop-loss trigger at their levels and sell at the price', () => {
    const L = openLevels(100, T, base);
    expect(checkPrice(L, 102.99, T + MIN)).toBeNull();
    expect(checkPrice(L, 103, T + MIN)).toEqual({ reason: 'take-profit', price: 103, time: T + MIN });
    expect(checkPrice(openLevels(100, T, base), 98, T)).toMatchObject({ reason: 'stop-loss', price: 98 });
    expect(checkPrice(openLevels(100, T, base), 98.01, T)).toBeNull();
  });

  test('the trailing stop arms only once its level reaches the entry price, then follows the high', () => {
    const L = openLevels(100, T, { ...base, trailingStop: 0.01 });
    expect(checkPrice(L, 100.5, T)).toBeNull();
    expect(checkPrice(L, 99.6, T)).toBeNull(); // 100.5 × 0.99 < 100: not armed, the fixed stop alone applies
    expect(checkPrice(L, 102, T)).toBeNull(); // armed: level 100.98
    expect(L.highPrice).toBe(102);
    expect(checkPrice(L, 101, T)).toBeNull();
    expect(checkPrice(L, 100.98, T)).toMatchObject({ reason: 'trailing-stop', price: 100.98 });
  });

  test('max hold sells at the first price at or after the deadline', () => {
    const L = openLevels(100, T, { ...base, maxHoldMinutes: 60 });
    expect(checkPrice(L, 100, T + 59 * MIN)).toBeNull();
    expect(checkPrice(L, 100.5, T + 60 * MIN)).toMatchObject({ reason: 'max-hold', price: 100.5 });
  });
});

describe('checkCandle (backtest)', () => {
  test('levels inside a candle sell at the level itself', () => {
    expect(checkCandle(openLevels(100, T, base), bar(1, 100, 104, 99, 101))).toEqual({ reason: 'take-profit', price: 103, time: T + MIN });
    expect(checkCandle(openLevels(100, T, base), bar(1, 100, 101, 97, 99))).toMatchObject({ reason: 'stop-loss', price: 98 });
    expect(checkCandle(openLevels(100, T, base), bar(1, 100, 102.9, 98.1, 101))).toBeNull();
  });

  test('when both levels lie in one candle the stop-loss comes first', () => {
    expect(checkCandle(openLevels(100, T, base), bar(1, 100, 104, 97, 101))).toMatchObject({ reason: 'stop-loss', price: 98 });
  });

  test('a gap through a level sells at the open', () => {
    expect(checkCandle(openLevels(100, T, base), bar(1, 96, 97, 95, 96))).toMatchObject({ reason: 'stop-loss', price: 96 });
    expect(checkCandle(openLevels(100, T, base), bar(1, 105, 106, 104, 105))).toMatchObject({ reason: 'take-profit', price: 105 });
  });

  test('a candle whose close falls back through a newly raised trailing level exits at that level', () => {
    const L = openLevels(100, T, { ...base, trailingStop: 0.01 });
    expect(checkCandle(L, bar(1, 100, 102, 100, 101.5))).toBeNull();
    expect(L.highPrice).toBe(102);
    expect(checkCandle(L, bar(2, 101.5, 102.5, 101.2, 101.4))).toMatchObject({ reason: 'trailing-stop', price: 102.5 * 0.99 });
  });

  test('an armed trailing stop hit by the low sells at the trailing level, by a gap at the open', () => {
    const L = openLevels(100, T, { ...base, trailingStop: 0.01 });
    checkCandle(L, bar(1, 100, 102, 100, 101.9));
    expect(checkCandle({ ...L }, bar(2, 101.5, 101.6, 100.5, 101))).toMatchObject({ reason: 'trailing-stop', price: 100.98 });
    expect(checkCandle({ ...L }, bar(2, 100.2, 100.5, 100, 100.1))).toMatchObject({ reason: 'trailing-stop', price: 100.2 });
  });

  test('max hold sells at the open of the first candle at or after the deadline', () => {
    const L = openLevels(100, T, { ...base, maxHoldMinutes: 3 });
    expect(checkCandle(L, bar(2, 100, 101, 99, 100))).toBeNull();
    expect(checkCandle(L, bar(3, 100.4, 101, 99, 100))).toMatchObject({ reason: 'max-hold', price: 100.4, time: T + 3 * MIN });
  });
});
