import { describe, expect, test } from 'bun:test';
import { fallbackAdvice, topCandidateAdviser, type Candidate } from '../../src/ai/adviser.ts';

const candidate = (market: string, volumeRatio: number): Candidate => ({
  market, volumeRatio, price: 1_000, change5m: 0.01, change24h: 0.02, turnover24hKrw: 1e9, cautions: [], recentCandles: [],
});

describe('topCandidateAdviser', () => {
  test('picks the first (highest-ranked) candidate', async () => {
    const advice = await topCandidateAdviser.advise([candidate('KRW-XRP', 5), candidate('KRW-BTC', 3)], 0);
    expect(advice).toMatchObject({ action: 'pick', market: 'KRW-XRP', outcome: 'taken' });
  });

  test('skips when there is no candidate', async () => {
    expect(await topCandidateAdviser.advise([], 0)).toMatchObject({ action: 'skip', market: null });
  });
});

describe('fallbackAdvice', () => {
  test('takes the top candidate and says why', () => {
    expect(fallbackAdvice([candidate('KRW-SOL', 4)], 'timeout')).toMatchObject({ action: 'pick', market: 'KRW-SOL', outcome: 'fallback', outcomeReason: 'timeout' });
  });
});
