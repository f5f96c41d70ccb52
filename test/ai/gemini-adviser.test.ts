import { afterAll, beforeEach, describe, expect, test } from 'bun:test';
import { answerJsonSchema } from '../../src/ai/answer.ts';
import { geminiOptionsFromConfig, createGeminiAdviser } from '../../src/ai/gemini-adviser.ts';
import { buildPrompt } from '../../src/ai/prompt.ts';
import { loadConfig } from '../../src/config.ts';
import { startFakeGemini } from '../fakes/fake-gemini.ts';
import { API_KEY, harness, MODEL, STEP_MS, validAnswer } from './gemini-harness.ts';
import { candidate, T0, threeCandidates } from './helpers.ts';

const fake = startFakeGemini();
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

describe('Gemini adviser: a valid pick', () => {
  test('is taken with everything worth storing', async () => {
    fake.script({ kind: 'answer', answer: validAnswer('KRW-SOL'), usage: { promptTokenCount: 900, candidatesTokenCount: 30, thoughtsTokenCount: 12 } });
    const cands = threeCandidates();
    const advice = await harness(fake).adviser.advise(cands, T0);
    expect(advice).toEqual({
      action: 'pick', market: 'KRW-SOL', pick: 'KRW-SOL', outcome: 'taken', outcomeReason: null,
      confidence: 8, risk: 'MEDIUM', reason: '거래대금이 꾸준히 늘고 있습니다',
      promptHash: buildPrompt(cands, 'ko').hash, rawAnswer: JSON.stringify(validAnswer('KRW-SOL')),
      latencyMs: STEP_MS, tokensIn: 900, tokensOut: 42,
    });
  });

  test('the request goes to the pinned path with the key only in x-goog-api-key', async () => {
    fake.script({ kind: 'answer', answer: validAnswer('KRW-XRP') });
    await harness(fake).adviser.advise(threeCandidates(), T0);
    expect(fake.requests).toHaveLength(1);
    const req = fake.requests[0]!;
    expect(req.path).toBe(`/v1beta/models/${MODEL}:generateContent`);
    expect(req.headers['x-goog-api-key']).toBe(API_KEY);
    const elsewhere = { ...req.headers, 'x-goog-api-key': '' };
    expect(JSON.stringify(elsewhere) + req.search + req.rawBody).not.toContain(API_KEY);
  });

  test('the request body carries the JSON schema and every candidate’s market and numbers', async () => {
    fake.script({ kind: 'answer', answer: validAnswer('KRW-XRP') });
    const cands = threeCandidates();
    await harness(fake, { locale: 'en' }).adviser.advise(cands, T0);
    const body = fake.requests[0]!.body;
    expect(body.generationConfig).toMatchObject({ responseMimeType: 'application/json', responseJsonSchema: answerJsonSchema(['KRW-XRP', 'KRW-SOL', 'KRW-DOGE']) });
    expect(body.generationConfig).not.toHaveProperty('temperature');
    expect(body.systemInstruction?.parts?.[0]?.text).toContain('in English');
    const text = body.contents?.[0]?.parts?.[0]?.text ?? '';
    expect(text).toBe(buildPrompt(cands, 'en').userText);
    for (const c of ['"market":"KRW-XRP"', '"market":"KRW-SOL"', '"market":"KRW-DOGE"']) expect(text).toContain(c);
    for (const n of ['"volume_ratio":6.5', '"volume_ratio":4.125', '"change_5m_pct":-1.07', '"change_24h_pct":8.45', '"turnover_24h_krw":987654321', '"price_krw":215300', 'TRADING_VOLUME_SOARING', '"candles_5m":[["03-10 08:00",1202,']) {
      expect(text).toContain(n);
    }
  });

  test('a bare symbol in any case is matched to its candidate', async () => {
    fake.script({ kind: 'answer', answer: validAnswer('doge') });
    expect(await harness(fake).adviser.advise(threeCandidates(), T0)).toMatchObject({ action: 'pick', market: 'KRW-DOGE', outcome: 'taken' });
  });
});

describe('Gemini adviser: not asked', () => {
  test('one candidate is taken without a request', async () => {
    const advice = await harness(fake).adviser.advise([candidate('KRW-ETH')], T0);
    expect(advice).toMatchObject({ action: 'pick', market: 'KRW-ETH', outcome: 'taken', outcomeReason: expect.stringContaining('without asking'), latencyMs: null });
    expect(fake.requests).toHaveLength(0);
  });

  test('no candidates skip the round without a request', async () => {
    expect(await harness(fake).adviser.advise([], T0)).toMatchObject({ action: 'skip', market: null, outcome: 'skipped' });
    expect(fake.requests).toHaveLength(0);
  });
});

describe('Gemini adviser: policy vetoes', () => {
  const vetoes = [
    ['confidence below 6', validAnswer('KRW-SOL', 5, 'LOW'), 'confidence 5 < 6'],
    ['HIGH risk', validAnswer('KRW-SOL', 9, 'HIGH'), 'risk HIGH'],
  ] as const;

  test.each(vetoes)('%s skips the round under AI_REJECT_POLICY=skip', async (_, answer, why) => {
    fake.script({ kind: 'answer', answer });
    const advice = await harness(fake, { rejectPolicy: 'skip' }).adviser.advise(threeCandidates(), T0);
    expect(advice).toMatchObject({ action: 'skip', market: null, pick: 'KRW-SOL', outcome: 'vetoed', confidence: answer.confidence, risk: answer.risk_level });
    expect(advice.outcomeReason).toContain(why);
  });

  test.each(vetoes)('%s takes the top candidate under AI_REJECT_POLICY=fallback', async (_, answer, why) => {
    fake.script({ kind: 'answer', answer });
    const advice = await harness(fake, { rejectPolicy: 'fallback' }).adviser.advise(threeCandidates(), T0);
    expect(advice).toMatchObject({ action: 'pick', market: 'KRW-XRP', pick: 'KRW-SOL', outcome: 'fallback', latencyMs: STEP_MS });
    expect(advice.outcomeReason).toContain(why);
  });

  test('confidence exactly 6 with MEDIUM risk is taken', async () => {
    fake.script({ kind: 'answer', answer: validAnswer('KRW-SOL', 6, 'MEDIUM') });
    expect(await harness(fake).adviser.advise(threeCandidates(), T0)).toMatchObject({ action: 'pick', market: 'KRW-SOL', outcome: 'taken' });
  });
});

describe('geminiOptionsFromConfig', () => {
  test('is null without GEMINI_API_KEY', () => {
    expect(geminiOptionsFromConfig(loadConfig({}), { clock: { now: () => 0 }, countRequests: async () => 0 })).toBeNull();
  });

  test('GEMINI_BASE_URL, GEMINI_MODEL and LOCALE reach the request', async () => {
    const config = loadConfig({ GEMINI_API_KEY: API_KEY, GEMINI_BASE_URL: fake.url, GEMINI_MODEL: 'gemini-3.8-flash', LOCALE: 'en', AI_REJECT_POLICY: 'fallback' });
    const opts = geminiOptionsFromConfig(config, { clock: { now: () => T0 }, countRequests: async () => 0 })!;
    expect(opts).toMatchObject({ timeoutMs: 8_000, rejectPolicy: 'fallback', locale: 'en' });
    expect(opts.quota.limit).toBe(1_500);
    fake.script({ kind: 'answer', answer: validAnswer('KRW-XRP') });
    expect(await createGeminiAdviser(opts).advise(threeCandidates(), T0)).toMatchObject({ outcome: 'taken', market: 'KRW-XRP' });
    expect(fake.requests[0]!.path).toBe('/v1beta/models/gemini-3.8-flash:generateContent');
  });
});
