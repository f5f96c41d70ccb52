// The one adviser prompt, versioned: system instruction + user text built from the ranked candidates, and its hash.
import { createHash } from 'node:crypto';
import type { Candle } from '../core/types.ts';
import type { Candidate } from './adviser.ts';

/** Bump whenever the wording or the data layout changes; it is part of every prompt hash. */
export const PROMPT_VERSION = 'v1';
export const CANDLES_IN_PROMPT = 12;

export type PromptLocale = 'ko' | 'en';
export type Prompt = { version: string; systemInstruction: string; userText: string; hash: string };

const REASON_LANGUAGE: Record<PromptLocale, string> = {
  ko: 'Write "reason" in Korean (한국어), one or two short sentences.',
  en: 'Write "reason" in English, one or two short sentences.',
};

function systemText(locale: PromptLocale): string {
  return [
    'You advise a cautious spot-trading bot on the Upbit KRW market.',
    'At a 5-minute candle close the bot found several volume-spike candidates and will buy at most one of them now,',
    'then exit by take-profit, stop-loss or trailing stop within hours. Pick the single candidate most likely to keep',
    'rising for the next 30-120 minutes without a sharp reversal.',
    'Prefer sustained turnover and orderly candles; distrust one-candle pumps, long upper wicks, thin 24-hour turnover,',
    'large moves already made today, and any caution flag.',
    '"recommended_coin" must be exactly one of the candidate market codes.',
    '"confidence" is an integer 1-10. "risk_level" is LOW, MEDIUM or HIGH; use HIGH when none of them is worth buying.',
    REASON_LANGUAGE[locale],
    'Answer with the JSON object only.',
  ].join('\n');
}

/** Rounds to `digits` significant digits so float noise does not reach the prompt (or its hash). */
const sig = (v: number, digits = 6): number | null => (Number.isFinite(v) ? Number(v.toPrecision(digits)) : null);
const pct = (fraction: number): number | null => (Number.isFinite(fraction) ? Math.round(fraction * 10_000) / 100 : null);
/** "MM-DD HH:MM" in Korea time. */
const kstTime = (ts: number): string => new Date(ts + 9 * 3_600_000).toISOString().slice(5, 16).replace('T', ' ');

const candleRow = (c: Candle) => [kstTime(c.openTime), sig(c.open), sig(c.high), sig(c.low), sig(c.close), sig(c.volume), sig(c.turnoverKrw, 4)];

/** One candidate as the model sees it; percentages are already ×100. */
export function toPromptRow(c: Candidate, rank: number) {
  return {
    rank,
    market: c.market,
    price_krw: sig(c.price),
    volume_ratio: sig(c.volumeRatio, 4),
    change_5m_pct: pct(c.change5m),
    change_24h_pct: pct(c.change24h),
    turnover_24h_krw: Math.round(c.turnover24hKrw),
    caution_flags: [...c.cautions],
    candles_5m: c.recentCandles.slice(-CANDLES_IN_PROMPT).map(candleRow),
  };
}

function userText(candidates: readonly Candidate[]): string {
  const rows = candidates.map((c, i) => JSON.stringify(toPromptRow(c, i + 1)));
  return [
    `Candidates (${candidates.length}), ranked by volume ratio, best first.`,
    'volume_ratio = spike-candle volume / mean of the 4 previous 5-minute volumes.',
    'change_5m_pct = change over the spike candle; change_24h_pct = change since the previous 09:00 KST close.',
    `candles_5m = the last ${CANDLES_IN_PROMPT} closed 5-minute candles, oldest first: [time KST, open, high, low, close, volume, turnover KRW].`,
    '',
    ...rows,
  ].join('\n');
}

/** SHA-256 (hex) over the version and the final prompt text exactly as sent. */
export const promptHash = (version: string, systemInstruction: string, text: string): string =>
  createHash('sha256').update(`${version}\n${systemInstruction}\n\n${text}`).digest('hex');

export function buildPrompt(candidates: readonly Candidate[], locale: PromptLocale, version: string = PROMPT_VERSION): Prompt {
  const systemInstruction = systemText(locale);
  const text = userText(candidates);
  return { version, systemInstruction, userText: text, hash: promptHash(version, systemInstruction, text) };
}
