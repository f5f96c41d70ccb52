import { describe, expect, test } from 'bun:test';
import { createBucketAggregator, createCandleAggregator, OUT_VOLUME } from '../../src/core/candles5m.ts';
import type { Candle } from '../../src/core/types.ts';

const T = Date.UTC(2025, 8, 2, 0, 0);
const MIN = 60_000;
const m1 = (minute: number, o: number, h: number, l: number, c: number, v: number, market = 'KRW-A'): Candle => ({
  market, openTime: T + minute * MIN, open: o, high: h, low: l, close: c, volume: v, turnoverKrw: v * c,
});

describe('createCandleAggregator', () => {
  test('minutes of one UTC bucket aggregate into one OHLCV candle, closed by the first input of a later bucket', () => {
    const agg = createCandleAggregator();
    expect(agg.push(m1(0, 10, 12, 9, 11, 1))).toBeNull();
    expect(agg.push(m1(2, 11, 15, 10, 14, 2))).toBeNull();
    expect(agg.push(m1(4, 14, 14, 8, 9, 3))).toBeNull();
    expect(agg.push(m1(7, 9, 9, 9, 9, 1))).toEqual({
      market: 'KRW-A', openTime: T, open: 10, high: 15, low: 8, close: 9, volume: 6, turnoverKrw: 11 + 28 + 27,
    });
  });

  test('a bucket with no minute has no candle', () => {
    const agg = createCandleAggregator();
    agg.push(m1(0, 10, 10, 10, 10, 1));
    const closed = agg.push(m1(17, 10, 10, 10, 10, 1));
    expect(closed?.openTime).toBe(T);
    expect(agg.push(m1(21, 10, 10, 10, 10, 1))?.openTime).toBe(T + 15 * MIN);
  });

  test('closeUpTo closes only the buckets that ended, per market', () => {
    const agg = createCandleAggregator();
    agg.push(m1(3, 10, 10, 10, 10, 1, 'KRW-A'));
    agg.push(m1(4, 20, 20, 20, 20, 2, 'KRW-B'));
    expect(agg.closeUpTo(T + 5 * MIN - 1)).toEqual([]);
    expect(agg.closeUpTo(T + 5 * MIN).map((c) => [c.market, c.volume])).toEqual([['KRW-A', 1], ['KRW-B', 2]]);
    expect(agg.closeUpTo(T + 10 * MIN)).toEqual([]);
  });

  test('a repeated minute replaces the forming one and late inputs for a closed bucket are ignored', () => {
    const agg = createCandleAggregator();
    agg.push(m1(1, 10, 11, 10, 11, 1));
    agg.push(m1(1, 10, 12, 9, 12, 4));
    expect(agg.closeUpTo(T + 5 * MIN)[0]).toMatchObject({ high: 12, low: 9, close: 12, volume: 4 });
    expect(agg.push(m1(4, 1, 1, 1, 1, 1))).toBeNull();
    expect(agg.closeUpTo(T + 10 * MIN)).toEqual([]);
  });

  test('trades merge into minutes and buckets', () => {
    const agg = createCandleAggregator();
    agg.pushTrade('KRW-A', T + 1_000, 100, 1);
    agg.pushTrade('KRW-A', T + 30_000, 105, 2);
    agg.pushTrade('KRW-A', T + 3 * MIN, 95, 1);
    expect(agg.pushTrade('KRW-A', T + 5 * MIN, 99, 1)).toEqual({
      market: 'KRW-A', openTime: T, open: 100, high: 105, low: 95, close: 95, volume: 4, turnoverKrw: 100 + 210 + 95,
    });
  });

  test('it grows past its initial capacity of markets', () => {
    const agg = createCandleAggregator();
    for (let i = 0; i < 40; i++) agg.push(m1(0, i, i, i, i, 1, `KRW-${i}`));
    const closed = agg.closeUpTo(T + 5 * MIN);
    expect(closed.length).toBe(40);
    expect(closed[39]).toMatchObject({ market: 'KRW-39', close: 39 });
  });
});

describe('createBucketAggregator', () => {
  test('trades at the same millisecond all count while a repeated candle time is ignored', () => {
    const agg = createBucketAggregator(2);
    agg.addTrade(0, T + 10, 100, 1, 100);
    agg.addTrade(0, T + 10, 101, 2, 202);
    agg.addCandle(1, T, 100, 100, 100, 100, 1, 100);
    agg.addCandle(1, T, 100, 100, 100, 100, 1, 100);
    expect(agg.closeIfEnded(0, T + 5 * MIN)).toBe(true);
    expect(agg.out[OUT_VOLUME]).toBe(3);
    expect(agg.closeIfEnded(1, T + 5 * MIN)).toBe(true);
    expect(agg.out[OUT_VOLUME]).toBe(1);
    expect(Number.isNaN(agg.openStart(1))).toBe(true);
  });
});
