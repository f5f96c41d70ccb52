import { describe, expect, test } from 'bun:test';
import { bollingerSeries, createEma, emaSeries, macdSeries, rsiSeries, smaSeries } from '../../src/core/indicators.ts';

// StockCharts' RSI worked example (ChartSchool "Relative Strength Index"); its table rounds intermediate
// averages, so unrounded Wilder smoothing (TA-Lib) differs from it by < 0.1.
const CLOSES = [44.34, 44.09, 44.15, 43.61, 44.33, 44.83, 45.1, 45.42, 45.84, 46.08, 45.89, 46.03, 45.61, 46.28, 46.28, 46.0, 46.03, 46.41, 46.22, 45.64, 46.21, 46.25, 45.71, 46.45, 45.78, 45.35, 44.03, 44.18, 44.22, 44.57, 43.42, 42.66, 43.13];
const STOCKCHARTS_RSI = [70.53, 66.32, 66.55, 69.41, 66.36, 57.97, 62.93, 63.26, 56.06, 62.38, 54.71, 50.42, 39.99, 41.46, 41.87, 45.46, 37.3, 33.08, 37.77];

describe('indicators', () => {
  test('RSI(14) matches the StockCharts worked example and is undefined before 15 prices', () => {
    const rsi = rsiSeries(CLOSES, 14);
    expect(rsi.slice(0, 14).every(Number.isNaN)).toBe(true);
    rsi.slice(14).forEach((v, i) => expect(Math.abs(v - STOCKCHARTS_RSI[i]!)).toBeLessThan(0.1));
  });

  test('RSI is 100 after only gains and 0 after only losses', () => {
    expect(rsiSeries([1, 2, 3, 4], 3)[3]).toBe(100);
    expect(rsiSeries([4, 3, 2, 1], 3)[3]).toBe(0);
  });

  test('the EMA is seeded with the SMA and then smooths with alpha 2/(n+1)', () => {
    expect(emaSeries([2, 4, 6, 8, 6], 3)).toEqual([Number.NaN, Number.NaN, 4, 6, 6]);
    const ema = createEma(3);
    [2, 4, 6].forEach((v) => ema.next(v));
    expect(ema.value).toBe(4);
    expect(smaSeries([1, 2, 3, 4], 2)).toEqual([Number.NaN, 1.5, 2.5, 3.5]);
  });

  test('MACD(12,26,9) of a straight line is the constant lag difference 7 with a flat histogram', () => {
    const line = Array.from({ length: 60 }, (_, i) => 1000 + i);
    const { macd, signal, histogram } = macdSeries(line);
    expect(Number.isNaN(macd[24]!)).toBe(true);
    expect(macd[25]).toBeCloseTo(7, 9);
    expect(Number.isNaN(signal[32]!)).toBe(true);
    expect(signal[33]).toBeCloseTo(7, 9);
    expect(histogram[59]).toBeCloseTo(0, 9);
  });

  test('Bollinger bands are the SMA ± k population standard deviations', () => {
    const { middle, upper, lower } = bollingerSeries([1, 2, 3, 4, 5], 5, 2);
    expect(middle[4]).toBe(3);
    expect(upper[4]).toBeCloseTo(3 + 2 * Math.SQRT2, 12);
    expect(lower[4]).toBeCloseTo(3 - 2 * Math.SQRT2, 12);
    expect(Number.isNaN(upper[3]!)).toBe(true);
  });
});
