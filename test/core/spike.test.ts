import { describe, expect, test } from 'bun:test';
import { checkSpike, passesPriceFilter, prevDayCloseOf, spikeAt } from '../../src/core/spike.ts';
import type { Candle } from '../../src/core/types.ts';

const S = { volumeSpikeThreshold: 2, priceChangeLimit: 0.05 };
const D = Date.UTC(2025, 8, 2);
const c = (openTime: number, close: number, volume: number): Candle => ({
  market: 'KRW-A', openTime, open: close, high: close, low: close, close, volume, turnoverKrw: Number.NaN,
});

describe('checkSpike', () => {
  test('a volume at least threshold × the mean of the four previous candles is a signal with its ratio', () => {
    expect(checkSpike(30, 100, [10, 10, 10, 10], 100, S)).toEqual({ signal: true, ratio: 3 });
    expect(checkSpike(19.9, 100, [10, 10, 10, 10], 100, S)).toMatchObject({ signal: false, reason: 'below-threshold' });
  });

  test('exactly the threshold is a signal, despite binary noise in the mean', () => {
    expect(checkSpike(20, 100, [10, 10, 10, 10], 100, S).signal).toBe(true);
    expect(checkSpike(0.5, 100, [0.1, 0.2, 0.3, 0.4], 100, S).signal).toBe(true);
  });

  test('only the last four of a longer history count', () => {
    expect(checkSpike(20, 100, [1000, 10, 10, 10, 10], 100, S).signal).toBe(true);
  });

  test('there is no signal without four previous candles or when their mean is 0', () => {
    expect(checkSpike(99, 100, [10, 10, 10], 100, S)).toMatchObject({ signal: false, reason: 'no-history' });
    expect(checkSpike(99, 100, [0, 0, 0, 0], 100, S)).toMatchObject({ signal: false, reason: 'zero-mean' });
  });

  test('the price filter skips moves beyond the limit on both sides and keeps exactly the limit', () => {
    expect(checkSpike(30, 105, [10, 10, 10, 10], 100, S).signal).toBe(true);
    expect(checkSpike(30, 95, [10, 10, 10, 10], 100, S).signal).toBe(true);
    expect(checkSpike(30, 105.01, [10, 10, 10, 10], 100, S)).toMatchObject({ signal: false, reason: 'price-filter', ratio: 3 });
    expect(checkSpike(30, 94.99, [10, 10, 10, 10], 100, S)).toMatchObject({ signal: false, reason: 'price-filter' });
    expect(passesPriceFilter(100, Number.NaN, 0.05)).toBe(false);
  });

  test('there is no signal without a previous-day close', () => {
    expect(checkSpike(30, 100, [10, 10, 10, 10], null, S)).toMatchObject({ signal: false, reason: 'no-prev-day' });
  });
});

describe('spikeAt over candle arrays', () => {
  test('the previous-day close is the last close before 00:00 UTC, even days back', () => {
    const list = [c(D - 3 * 86_400_000, 90, 1), c(D + 600_000, 100, 1), c(D + 900_000, 101, 1)];
    expect(prevDayCloseOf(list, 2)).toBe(90);
    expect(prevDayCloseOf(list, 0)).toBeNull();
  });

  test('gaps between candles do not matter: the four previous existing candles count', () => {
    const list = [c(D - 300_000, 100, 5), c(D, 100, 5), c(D + 3_600_000, 100, 5), c(D + 7_200_000, 100, 5), c(D + 7_500_000, 100, 5), c(D + 9_000_000, 100, 10)];
    expect(spikeAt(list, 5, S)).toEqual({ signal: true, ratio: 2 });
    expect(spikeAt(list, 3, S)).toMatchObject({ reason: 'no-history' });
  });
});
