// Candidate and clock builders shared by the adviser tests.
import type { Candidate } from '../../src/ai/adviser.ts';
import type { Candle } from '../../src/core/types.ts';

const FIVE_MIN = 300_000;
/** 2026-03-10 09:00 KST. */
export const T0 = Date.UTC(2026, 2, 10, 0, 0);

export function candles(market: string, base: number, count = 14): Candle[] {
  return Array.from({ length: count }, (_, i) => ({
    market,
    openTime: T0 - (count - i) * FIVE_MIN,
    open: base + i,
    high: base + i + 2,
    low: base + i - 1,
    close: base + i + 1,
    volume: 1_000 + i * 10.5,
    turnoverKrw: (base + i) * (1_000 + i * 10.5),
  }));
}

export function candidate(market: string, over: Partial<Candidate> = {}): Candidate {
  return {
    market,
    volumeRatio: 3.25,
    price: 1_234,
    change5m: 0.0312,
    change24h: 0.0845,
    turnover24hKrw: 12_345_678_901,
    cautions: [],
    recentCandles: candles(market, 1_200),
    ...over,
  };
}

export const threeCandidates = (): Candidate[] => [
  candidate('KRW-XRP', { volumeRatio: 6.5, cautions: ['TRADING_VOLUME_SOARING'] }),
  candidate('KRW-SOL', { volumeRatio: 4.125, price: 215_300, change5m: -0.0107 }),
  candidate('KRW-DOGE', { volumeRatio: 2.75, turnover24hKrw: 987_654_321 }),
];

export function manualClock(start = T0) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms), set: (ms: number) => void (t = ms) };
}
