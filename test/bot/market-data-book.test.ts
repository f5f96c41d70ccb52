// Pure parts of market data: the candle book (cumulative buckets, stale detection), socket coverage, and the close plan.
import { describe, expect, test } from 'bun:test';
import type { Candle } from '../../src/core/types.ts';
import { createCandleBook, createCoverage } from '../../src/bot/candle-book.ts';
import { planClose } from '../../src/bot/market-close.ts';

const M5 = 300_000;
const T = Date.UTC(2025, 8, 3, 1, 0, 0);
const candle = (market: string, openTime: number, volume: number, close = 100): Candle => ({ market, openTime, open: 100, high: 101, low: 99, close, volume, turnoverKrw: volume * 100 });

describe('candle book', () => {
  test('the running candle with the larger volume wins, whatever the arrival order', () => {
    const book = createCandleBook();
    book.putCandle(candle('KRW-A', T, 5));
    book.putCandle(candle('KRW-A', T, 3)); // an older snapshot arriving late
    expect(book.candle('KRW-A', T)?.volume).toBe(5);
    book.putCandle(candle('KRW-A', T, 7));
    expect(book.candle('KRW-A', T)?.volume).toBe(7);
  });

  test('updates for a closed bucket are refused and closed buckets are forgotten', () => {
    const book = createCandleBook();
    book.putCandle(candle('KRW-A', T, 5));
    book.closeBefore(T + M5);
    expect(book.candle('KRW-A', T)).toBeNull();
    expect(book.putCandle(candle('KRW-A', T, 9))).toBe(false);
    expect(book.putCandle(candle('KRW-A', T + M5, 1))).toBe(true);
    expect(book.size()).toBe(1);
  });

  test('a market is suspect when a tick in the bucket has no candle or a different close', () => {
    const book = createCandleBook();
    book.putCandle(candle('KRW-A', T, 5, 100));
    book.putCandle(candle('KRW-B', T, 5, 100));
    book.putTick('KRW-A', 100, T + 200_000);
    book.putTick('KRW-B', 100, T + 100_000);
    book.putTick('KRW-B', 104, T + 290_000); // traded after the last candle push
    book.putTick('KRW-C', 50, T + 10_000); // no candle at all
    book.putTick('KRW-D', 50, T + M5 + 1); // next bucket: not evidence for this one
    expect(book.suspects(['KRW-A', 'KRW-B', 'KRW-C', 'KRW-D'], T)).toEqual(['KRW-B', 'KRW-C']);
  });
});

describe('coverage', () => {
  test('a bucket is covered when one connection had data before its end and stayed up past end + settle', () => {
    const cov = createCoverage();
    cov.subscribed(['KRW-A'], T - 1);
    cov.opened(T + 10_000);
    expect(cov.covers('KRW-A', T + M5, 1_000)).toBe(true); // still open
    cov.closed(T + M5 + 500); // dropped inside the settle window
    expect(cov.covers('KRW-A', T + M5, 1_000)).toBe(false);
    cov.opened(T + M5 + 2_000); // back after the boundary: its snapshot may be the next bucket
    expect(cov.covers('KRW-A', T + M5, 1_000)).toBe(false);
    expect(cov.covers('KRW-A', T + 2 * M5, 1_000)).toBe(true);
  });

  test('a market subscribed after the boundary is not covered for it', () => {
    const cov = createCoverage();
    cov.opened(T);
    cov.subscribed(['KRW-A'], T + M5 + 1);
    expect(cov.covers('KRW-A', T + M5, 0)).toBe(false);
    cov.subscribed(['KRW-B'], T + M5 + 2);
    expect(cov.covers('KRW-A', T + 2 * M5, 0)).toBe(false); // dropped from the subscription
  });
});

describe('planClose', () => {
  const coverAll = { covers: () => true };
  const noSuspects = { suspects: () => [] as string[] };

  test('every bucket end since the last close, oldest first; covered markets need no REST', () => {
    const plan = planClose(['KRW-A', 'KRW-B'], T, T + 3 * M5, coverAll, noSuspects, 1_500);
    expect(plan.ends).toEqual([T + M5, T + 2 * M5, T + 3 * M5]);
    expect(plan.restEnds.size).toBe(0);
  });

  test('uncovered ends go to REST per market; suspects are capped per close', () => {
    const cov = { covers: (_m: string, end: number) => end !== T + M5 };
    const book = { suspects: (ms: readonly string[]) => [...ms] };
    const plan = planClose(['KRW-A', 'KRW-B', 'KRW-C'], T, T + 2 * M5, cov, book, 1_500, 2);
    expect(Object.fromEntries(plan.restEnds)).toEqual({ 'KRW-A': [T + M5, T + 2 * M5], 'KRW-B': [T + M5, T + 2 * M5], 'KRW-C': [T + M5] });
  });
});
