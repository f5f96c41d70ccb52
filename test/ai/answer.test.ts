import { describe, expect, test } from 'bun:test';
import { answerJsonSchema, matchCandidate, parseAnswer } from '../../src/ai/answer.ts';

const good = { recommended_coin: 'KRW-XRP', confidence: 7, reason: '거래대금이 가장 크고 변동이 완만합니다', risk_level: 'MEDIUM' };

describe('parseAnswer', () => {
  test('accepts a valid answer and maps it to camelCase', () => {
    expect(parseAnswer(JSON.stringify(good))).toEqual({
      ok: true,
      answer: { recommendedCoin: 'KRW-XRP', confidence: 7, reason: good.reason, riskLevel: 'MEDIUM' },
    });
  });

  test('accepts an answer wrapped in a ```json fence', () => {
    expect(parseAnswer('```json\n' + JSON.stringify(good) + '\n```').ok).toBe(true);
  });

  test.each([
    ['empty text', ''],
    ['not JSON', 'I would buy XRP.'],
    ['truncated JSON', '{"recommended_coin":"KRW-XRP","confid'],
    ['confidence out of range', JSON.stringify({ ...good, confidence: 11 })],
    ['confidence zero', JSON.stringify({ ...good, confidence: 0 })],
    ['fractional confidence', JSON.stringify({ ...good, confidence: 6.5 })],
    ['confidence as a string', JSON.stringify({ ...good, confidence: '7' })],
    ['unknown risk level', JSON.stringify({ ...good, risk_level: 'EXTREME' })],
    ['missing reason', JSON.stringify({ recommended_coin: 'KRW-XRP', confidence: 7, risk_level: 'LOW' })],
    ['blank coin', JSON.stringify({ ...good, recommended_coin: '  ' })],
    ['an array', JSON.stringify([good])],
  ])('rejects %s', (_, text) => {
    const r = parseAnswer(text);
    expect(r.ok).toBe(false);
  });

  test('says which field failed', () => {
    expect(parseAnswer(JSON.stringify({ ...good, risk_level: 'EXTREME' }))).toMatchObject({ ok: false, why: expect.stringContaining('risk_level') });
  });
});

describe('matchCandidate', () => {
  const markets = ['KRW-XRP', 'KRW-SOL'];
  test('matches the exact code, any case, and a bare symbol', () => {
    expect(matchCandidate('KRW-SOL', markets)).toBe('KRW-SOL');
    expect(matchCandidate('krw-xrp', markets)).toBe('KRW-XRP');
    expect(matchCandidate(' sol ', markets)).toBe('KRW-SOL');
  });
  test('returns null for a coin that is not a candidate', () => {
    expect(matchCandidate('KRW-BTC', markets)).toBeNull();
    expect(matchCandidate('BTC-XRP', markets)).toBeNull();
  });
});

describe('answerJsonSchema', () => {
  test('limits the coin to the candidates and requires every field', () => {
    const s = answerJsonSchema(['KRW-XRP', 'KRW-SOL']) as { properties: Record<string, Record<string, unknown>>; required: string[]; additionalProperties: boolean };
    expect(s.properties.recommended_coin!.enum).toEqual(['KRW-XRP', 'KRW-SOL']);
    expect(s.properties.confidence).toMatchObject({ type: 'integer', minimum: 1, maximum: 10 });
    expect(s.properties.risk_level!.enum).toEqual(['LOW', 'MEDIUM', 'HIGH']);
    expect(s.required.sort()).toEqual(['confidence', 'reason', 'recommended_coin', 'risk_level']);
    expect(s.additionalProperties).toBe(false);
  });
});
