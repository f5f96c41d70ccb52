// The adviser's answer: its JSON Schema (sent to Gemini) and the local parser that never trusts the reply.
import { z } from 'zod';
import type { MarketCode } from '../core/types.ts';

export const RISK_LEVELS = ['LOW', 'MEDIUM', 'HIGH'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export type Answer = { recommendedCoin: string; confidence: number; reason: string; riskLevel: RiskLevel };

/**
 * The plain JSON Schema passed as `responseJsonSchema`. `recommended_coin` is limited to the
 * candidates' market codes so the model is steered to a valid pick; the reply is still checked.
 */
export function answerJsonSchema(markets: readonly MarketCode[]): Record<string, unknown> {
  return {
    type: 'object',
    properties: {
      recommended_coin: { type: 'string', enum: [...markets], description: 'Market code of the chosen candidate, e.g. KRW-BTC' },
      confidence: { type: 'integer', minimum: 1, maximum: 10, description: '1 = a guess, 10 = very sure' },
      reason: { type: 'string', description: 'One or two short sentences' },
      risk_level: { type: 'string', enum: [...RISK_LEVELS] },
    },
    required: ['recommended_coin', 'confidence', 'reason', 'risk_level'],
    additionalProperties: false,
  };
}

const answerSchema = z.object({
  recommended_coin: z.string().trim().min(1).max(40),
  confidence: z.number().int().min(1).max(10),
  reason: z.string().trim().max(2_000),
  risk_level: z.enum(RISK_LEVELS),
});

export type ParsedAnswer = { ok: true; answer: Answer } | { ok: false; why: string };

/** Strips a ```json … ``` fence some models add despite responseMimeType. */
const unfence = (text: string): string => text.trim().replace(/^```(?:json)?\s*([\s\S]*?)\s*```$/i, '$1');

/*
 * Raw sample (response.text of a generateContent reply with responseMimeType application/json):
 * {"recommended_coin":"KRW-XRP","confidence":7,"reason":"거래대금이 가장 크고 변동이 완만합니다","risk_level":"MEDIUM"}
 */
export function parseAnswer(text: string | undefined): ParsedAnswer {
  if (text === undefined || text.trim() === '') return { ok: false, why: 'empty answer' };
  let json: unknown;
  try {
    json = JSON.parse(unfence(text));
  } catch {
    return { ok: false, why: 'answer is not JSON' };
  }
  const r = answerSchema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0];
    return { ok: false, why: `answer does not match the schema: ${issue?.path.join('.') || 'root'} ${issue?.message ?? ''}`.trim() };
  }
  const a = r.data;
  return { ok: true, answer: { recommendedCoin: a.recommended_coin, confidence: a.confidence, reason: a.reason, riskLevel: a.risk_level } };
}

/**
 * The candidate market the model meant, or null. Accepts the exact code in any case and a bare
 * coin symbol ("xrp" → "KRW-XRP"); anything else is an unknown coin.
 */
export function matchCandidate(coin: string, markets: readonly MarketCode[]): MarketCode | null {
  const c = coin.trim().toUpperCase();
  return markets.find((m) => m.toUpperCase() === c) ?? markets.find((m) => m.toUpperCase().split('-')[1] === c) ?? null;
}
