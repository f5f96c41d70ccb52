// Builds a Gemini adviser wired to the fake server, a stepping clock and an in-memory quota counter.
import { createGeminiAdviser, type GeminiAdviserOptions } from '../../src/ai/gemini-adviser.ts';
import { createMonthlyQuota } from '../../src/ai/quota.ts';
import type { FakeGemini } from '../fakes/fake-gemini.ts';
import { T0 } from './helpers.ts';

export const API_KEY = 'AIzaFAKE-key-0123456789-never-shown';
export const MODEL = 'gemini-3.5-flash-lite';
/** Each clock read moves time by this much, so a request's latency is exactly one step. */
export const STEP_MS = 25;

export const validAnswer = (coin: string, confidence = 8, risk = 'MEDIUM') => ({
  recommended_coin: coin,
  confidence,
  reason: '거래대금이 꾸준히 늘고 있습니다',
  risk_level: risk,
});

export function harness(fake: FakeGemini, over: Partial<GeminiAdviserOptions> = {}, quota = { limit: 100, used: 0 }) {
  let t = T0;
  const clock = { now: () => (t += STEP_MS), advance: (ms: number) => void (t += ms) };
  const adviser = createGeminiAdviser({
    apiKey: API_KEY,
    model: MODEL,
    baseUrl: fake.url,
    timeoutMs: 2_000,
    rejectPolicy: 'skip',
    locale: 'ko',
    quota: createMonthlyQuota({ limit: quota.limit, countRequests: async () => quota.used }),
    clock,
    ...over,
  });
  return { adviser, clock };
}
