// The Gemini adviser: asks Gemini to pick one of ≥ 2 ranked candidates, validates the answer, applies the policy, never throws.
import { ApiError, GoogleGenAI, type GenerateContentResponse } from '@google/genai';
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import { fallbackAdvice, type Advice, type Adviser, type Candidate } from './adviser.ts';
import { answerJsonSchema, matchCandidate, parseAnswer, type Answer } from './answer.ts';
import { createBackoff, parseRetryDelayMs, type BackoffOptions } from './backoff.ts';
import { buildPrompt, type Prompt, type PromptLocale } from './prompt.ts';
import { createMonthlyQuota, type CountRequests, type MonthlyQuota } from './quota.ts';

export const GEMINI_ADVISER_NAME = 'gemini';
/** A pick is taken only with at least this confidence (1–10) and a risk other than HIGH. */
export const MIN_CONFIDENCE = 6;

export type GeminiAdviserOptions = {
  apiKey: string;
  model: string;
  /** Overrides https://generativelanguage.googleapis.com (tests, proxies). */
  baseUrl?: string;
  /** Pinned so an SDK major cannot move the path; v1beta carries responseJsonSchema and preview models. */
  apiVersion?: string;
  timeoutMs: number;
  /** What a valid answer failing the policy does: skip the round, or take the top candidate. */
  rejectPolicy: 'skip' | 'fallback';
  locale: PromptLocale;
  quota: MonthlyQuota;
  /** Measures latency and times the 429 backoff. */
  clock: Clock;
  backoff?: BackoffOptions;
  /** Unset by default: Google advises leaving Gemini 3 models at their default 1.0 (lower can loop). */
  temperature?: number;
  /** Stored as the decision's `adviser`; the quota counts rows of this name. */
  name?: string;
};

export class AdviserTimeoutError extends Error {
  override readonly name = 'AdviserTimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`Gemini did not answer within ${timeoutMs} ms`);
  }
}

type CallFacts = Pick<Advice, 'promptHash' | 'rawAnswer' | 'latencyMs' | 'tokensIn' | 'tokensOut'>;

/**
 * Builds the adviser. Every Advice that made a request has `latencyMs` set (the quota counts those);
 * rounds answered without a request (one candidate, backoff, spent quota) leave it null.
 */
export function createGeminiAdviser(opts: GeminiAdviserOptions): Adviser {
  const ai = new GoogleGenAI({
    apiKey: opts.apiKey,
    httpOptions: { apiVersion: opts.apiVersion ?? 'v1beta', timeout: opts.timeoutMs, ...(opts.baseUrl ? { baseUrl: opts.baseUrl } : {}) },
  });
  const backoff = createBackoff(opts.backoff);
  const hide = (text: string): string => (opts.apiKey ? text.split(opts.apiKey).join('(hidden)') : text);

  async function ask(candidates: readonly Candidate[], now: number): Promise<Advice> {
    const blockedUntil = backoff.blockedUntil(opts.clock.now());
    if (blockedUntil !== null) return fallbackAdvice(candidates, `rate limited (429): backing off until ${new Date(blockedUntil).toISOString()}`);
    const quota = await opts.quota.check(now);
    if (!quota.ok) return fallbackAdvice(candidates, quota.why);

    const prompt = buildPrompt(candidates, opts.locale);
    opts.quota.record(now);
    const startedAt = opts.clock.now();
    try {
      const res = await callGemini(ai, opts, prompt, candidates);
      backoff.succeed();
      return judge(candidates, res, { promptHash: prompt.hash, latencyMs: opts.clock.now() - startedAt }, opts.rejectPolicy);
    } catch (err) {
      const facts = { promptHash: prompt.hash, latencyMs: opts.clock.now() - startedAt };
      if (err instanceof ApiError && err.status === 429) {
        const waitMs = backoff.fail(opts.clock.now(), parseRetryDelayMs(err.message));
        return fallbackAdvice(candidates, `rate limited (429): backing off ${Math.round(waitMs / 1_000)} s`, facts);
      }
      return fallbackAdvice(candidates, describeError(err), facts);
    }
  }

  return {
    name: opts.name ?? GEMINI_ADVISER_NAME,
    isRecorded: true,
    async advise(candidates, now) {
      if (candidates.length < 2) return topCandidateOnly(candidates);
      try {
        const advice = await ask(candidates, now);
        // The key can only come back if a server or proxy echoes it; even then it is not stored.
        return { ...advice, rawAnswer: advice.rawAnswer && hide(advice.rawAnswer), reason: advice.reason && hide(advice.reason), outcomeReason: advice.outcomeReason && hide(advice.outcomeReason) };
      } catch (err) {
        return fallbackAdvice(candidates, hide(`adviser failed: ${describeError(err)}`));
      }
    },
  };
}

function topCandidateOnly(candidates: readonly Candidate[]): Advice {
  const one = fallbackAdvice(candidates, 'no candidates');
  return candidates[0]
    ? { ...one, outcome: 'taken', outcomeReason: 'only one candidate: taken without asking' }
    : { ...one, outcome: 'skipped' };
}

/** One request, time-boxed twice: the SDK's own timeout and an abort + race of ours. */
async function callGemini(ai: GoogleGenAI, opts: GeminiAdviserOptions, prompt: Prompt, candidates: readonly Candidate[]): Promise<GenerateContentResponse> {
  const abort = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new AdviserTimeoutError(opts.timeoutMs);
      abort.abort(err);
      reject(err);
    }, opts.timeoutMs);
  });
  const request = ai.models.generateContent({
    model: opts.model,
    contents: [{ role: 'user', parts: [{ text: prompt.userText }] }],
    config: {
      systemInstruction: prompt.systemInstruction,
      ...(opts.temperature === undefined ? {} : { temperature: opts.temperature }),
      responseMimeType: 'application/json',
      responseJsonSchema: answerJsonSchema(candidates.map((c) => c.market)),
      abortSignal: abort.signal,
    },
  });
  try {
    return await Promise.race([request, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function describeError(err: unknown): string {
  if (err instanceof AdviserTimeoutError) return `timeout after ${err.timeoutMs} ms`;
  if (err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError')) return 'timeout (request aborted)';
  if (err instanceof ApiError) return `HTTP ${err.status}: ${apiMessage(err.message)}`;
  if (err instanceof Error) return `${err.name}: ${err.message.slice(0, 200)}`;
  return `error: ${String(err).slice(0, 200)}`;
}

/** The `error.message` of Google's JSON error body when there is one, else the text, trimmed. */
function apiMessage(message: string): string {
  try {
    const body = JSON.parse(message) as { error?: { message?: unknown } };
    if (typeof body.error?.message === 'string') return body.error.message.slice(0, 200);
  } catch {
    // not JSON: use as is
  }
  return message.slice(0, 200);
}

function readText(res: GenerateContentResponse): string | undefined {
  try {
    return res.text;
  } catch {
    return undefined;
  }
}

/** Turns a reply into Advice: malformed or unknown → fallback; policy failure → veto; else taken. */
function judge(candidates: readonly Candidate[], res: GenerateContentResponse, facts: Pick<Advice, 'promptHash' | 'latencyMs'>, policy: 'skip' | 'fallback'): Advice {
  const usage = res.usageMetadata;
  const raw = readText(res) ?? null;
  const call: CallFacts = {
    ...facts,
    rawAnswer: raw,
    tokensIn: usage?.promptTokenCount ?? null,
    tokensOut: usage?.candidatesTokenCount === undefined ? null : usage.candidatesTokenCount + (usage.thoughtsTokenCount ?? 0),
  };
  const parsed = parseAnswer(raw ?? undefined);
  if (!parsed.ok) {
    const finish = res.candidates?.[0]?.finishReason;
    return fallbackAdvice(candidates, `malformed answer: ${parsed.why}${finish && finish !== 'STOP' ? ` (finishReason ${finish})` : ''}`, call);
  }
  const a = parsed.answer;
  const said = { ...call, confidence: a.confidence, risk: a.riskLevel, reason: a.reason };
  const market = matchCandidate(a.recommendedCoin, candidates.map((c) => c.market));
  if (market === null) return fallbackAdvice(candidates, `unknown coin: ${a.recommendedCoin.slice(0, 40)}`, { ...said, pick: a.recommendedCoin.slice(0, 40) });
  const veto = vetoReason(a);
  if (veto === null) return { ...said, action: 'pick', market, pick: market, outcome: 'taken', outcomeReason: null };
  if (policy === 'fallback') return fallbackAdvice(candidates, `vetoed (${veto}): top candidate taken`, { ...said, pick: market });
  return { ...said, action: 'skip', market: null, pick: market, outcome: 'vetoed', outcomeReason: `${veto}: round skipped` };
}

function vetoReason(a: Answer): string | null {
  if (a.confidence < MIN_CONFIDENCE) return `confidence ${a.confidence} < ${MIN_CONFIDENCE}`;
  if (a.riskLevel === 'HIGH') return 'risk HIGH';
  return null;
}

/** The options the app's config implies, or null when GEMINI_API_KEY is unset (the adviser is off). */
export function geminiOptionsFromConfig(
  config: Config,
  deps: { clock: Clock; countRequests: CountRequests },
): GeminiAdviserOptions | null {
  if (!config.GEMINI_API_KEY) return null;
  return {
    apiKey: config.GEMINI_API_KEY,
    model: config.GEMINI_MODEL,
    ...(config.GEMINI_BASE_URL ? { baseUrl: config.GEMINI_BASE_URL } : {}),
    timeoutMs: config.AI_TIMEOUT_MS,
    rejectPolicy: config.AI_REJECT_POLICY,
    locale: config.LOCALE,
    quota: createMonthlyQuota({ limit: config.AI_MONTHLY_QUOTA, countRequests: deps.countRequests }),
    clock: deps.clock,
  };
}
