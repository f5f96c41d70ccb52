import { afterAll, beforeEach, describe, expect, test } from 'bun:test';
import type { Advice } from '../../src/ai/adviser.ts';
import { startFakeGemini, type FakeGeminiReply } from '../fakes/fake-gemini.ts';
import { API_KEY, harness, STEP_MS, validAnswer } from './gemini-harness.ts';
import { T0, threeCandidates } from './helpers.ts';

const fake = startFakeGemini();
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

const TOP = { action: 'pick', market: 'KRW-XRP', outcome: 'fallback' } as const;

describe('Gemini adviser: failures take the top candidate', () => {
  const cases: [string, FakeGeminiReply, string][] = [
    ['HTTP 500', { kind: 'status', status: 500, message: 'Internal error encountered.' }, 'HTTP 500: Internal error encountered.'],
    ['HTTP 503', { kind: 'status', status: 503, message: 'The model is overloaded.' }, 'HTTP 503: The model is overloaded.'],
    ['text that is not JSON', { kind: 'text', text: 'I would buy XRP because…' }, 'malformed answer: answer is not JSON'],
    ['JSON breaking the schema', { kind: 'answer', answer: { ...validAnswer('KRW-SOL'), confidence: 12 } }, 'malformed answer: answer does not match the schema: confidence'],
    ['a reply cut off by MAX_TOKENS', { kind: 'text', text: '{"recommended_coin":"KRW-S', finishReason: 'MAX_TOKENS' }, '(finishReason MAX_TOKENS)'],
    ['an unknown coin', { kind: 'answer', answer: validAnswer('KRW-BTC', 9, 'LOW') }, 'unknown coin: KRW-BTC'],
  ];

  test.each(cases)('%s', async (_, reply, why) => {
    fake.script(reply);
    const advice = await harness(fake).adviser.advise(threeCandidates(), T0);
    expect(advice).toMatchObject({ ...TOP, latencyMs: STEP_MS });
    expect(advice.outcomeReason).toContain(why);
    expect(advice.promptHash).toMatch(/^[0-9a-f]{64}$/);
    expect(fake.requests).toHaveLength(1);
  });

  test('an unknown coin keeps what the model said', async () => {
    fake.script({ kind: 'answer', answer: validAnswer('KRW-BTC', 9, 'LOW') });
    expect(await harness(fake).adviser.advise(threeCandidates(), T0)).toMatchObject({ ...TOP, pick: 'KRW-BTC', confidence: 9, risk: 'LOW' });
  });

  test('malformed text is kept as the raw answer', async () => {
    fake.script({ kind: 'text', text: 'not json at all' });
    expect((await harness(fake).adviser.advise(threeCandidates(), T0)).rawAnswer).toBe('not json at all');
  });

  test('a reply slower than AI_TIMEOUT_MS is abandoned', async () => {
    fake.script({ kind: 'slow', delayMs: 5_000, then: { kind: 'answer', answer: validAnswer('KRW-SOL') } });
    const advice = await harness(fake, { timeoutMs: 200 }).adviser.advise(threeCandidates(), T0);
    expect(advice).toMatchObject({ ...TOP, latencyMs: STEP_MS, rawAnswer: null });
    expect(advice.outcomeReason).toMatch(/^timeout/);
  });

  test('an unreachable endpoint is an error, not a throw', async () => {
    const closed = startFakeGemini();
    await closed.stop();
    const advice = await harness(closed).adviser.advise(threeCandidates(), T0);
    expect(advice).toMatchObject(TOP);
    expect(advice.outcomeReason).toBeTruthy();
  });
});

describe('Gemini adviser: monthly quota', () => {
  test('a spent quota takes the top candidate without a request', async () => {
    const advice = await harness(fake, {}, { limit: 1_500, used: 1_500 }).adviser.advise(threeCandidates(), T0);
    expect(advice).toMatchObject({ ...TOP, outcomeReason: 'monthly quota spent (1500/1500)', latencyMs: null });
    expect(fake.requests).toHaveLength(0);
  });

  test('the last request of the month is made, the next round is not', async () => {
    fake.script({ kind: 'answer', answer: validAnswer('KRW-SOL') }, { kind: 'answer', answer: validAnswer('KRW-SOL') });
    const { adviser } = harness(fake, {}, { limit: 10, used: 9 });
    expect(await adviser.advise(threeCandidates(), T0)).toMatchObject({ outcome: 'taken', market: 'KRW-SOL' });
    expect(await adviser.advise(threeCandidates(), T0)).toMatchObject({ ...TOP, outcomeReason: 'monthly quota spent (10/10)' });
    expect(fake.requests).toHaveLength(1);
  });

  test('failed requests count against the quota too', async () => {
    fake.script({ kind: 'status', status: 500 });
    const { adviser } = harness(fake, {}, { limit: 1, used: 0 });
    await adviser.advise(threeCandidates(), T0);
    expect((await adviser.advise(threeCandidates(), T0)).outcomeReason).toBe('monthly quota spent (1/1)');
    expect(fake.requests).toHaveLength(1);
  });
});

describe('Gemini adviser: 429 backoff', () => {
  test('backs off without requests, then recovers after the window and resets', async () => {
    fake.script({ kind: 'status', status: 429 }, { kind: 'answer', answer: validAnswer('KRW-SOL') }, { kind: 'status', status: 429 });
    const { adviser, clock } = harness(fake);
    expect(await adviser.advise(threeCandidates(), T0)).toMatchObject({ ...TOP, outcomeReason: 'rate limited (429): backing off 60 s' });
    clock.advance(30_000);
    const held = await adviser.advise(threeCandidates(), T0);
    expect(held).toMatchObject({ ...TOP, latencyMs: null });
    expect(held.outcomeReason).toContain('backing off until');
    expect(fake.requests).toHaveLength(1);

    clock.advance(30_000);
    expect(await adviser.advise(threeCandidates(), T0)).toMatchObject({ outcome: 'taken', market: 'KRW-SOL' });
    expect(fake.requests).toHaveLength(2);
    // Success reset the backoff: the next 429 waits 60 s again, not 120 s.
    expect((await adviser.advise(threeCandidates(), T0)).outcomeReason).toBe('rate limited (429): backing off 60 s');
  });

  test('consecutive 429s double the wait', async () => {
    fake.script({ kind: 'status', status: 429 }, { kind: 'status', status: 429 });
    const { adviser, clock } = harness(fake);
    await adviser.advise(threeCandidates(), T0);
    clock.advance(60_000);
    expect((await adviser.advise(threeCandidates(), T0)).outcomeReason).toBe('rate limited (429): backing off 120 s');
    clock.advance(60_000);
    await adviser.advise(threeCandidates(), T0);
    expect(fake.requests).toHaveLength(2);
  });

  test('a longer RetryInfo delay from Gemini is honoured', async () => {
    fake.script({ kind: 'status', status: 429, retryDelaySeconds: 300 });
    expect((await harness(fake).adviser.advise(threeCandidates(), T0)).outcomeReason).toBe('rate limited (429): backing off 300 s');
  });
});

describe('Gemini adviser: the API key', () => {
  test('never appears in any Advice field, even when an error echoes it', async () => {
    const replies: FakeGeminiReply[] = [
      { kind: 'status', status: 400, message: `API key not valid: ${API_KEY}` },
      { kind: 'text', text: `echo ${API_KEY}` },
      { kind: 'answer', answer: validAnswer('KRW-SOL') },
      { kind: 'status', status: 429 },
    ];
    fake.script(...replies);
    const { adviser } = harness(fake);
    const all: Advice[] = [];
    for (let i = 0; i < replies.length + 1; i++) all.push(await adviser.advise(threeCandidates(), T0));
    expect(all.filter((a) => JSON.stringify(a).includes(API_KEY))).toEqual([]);
    expect(all[0]!.outcomeReason).toBe('HTTP 400: API key not valid: (hidden)');
    expect(all[1]!.rawAnswer).toBe('echo (hidden)');
    expect(fake.requests).toHaveLength(4);
  });
});
