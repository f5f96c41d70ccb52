// The Adviser port: between ranking and entry it sees the ranked candidates and returns a pick or "skip".
import type { Candle, MarketCode } from '../core/types.ts';

export type Candidate = {
  market: MarketCode;
  /** Spike volume ÷ mean of the four previous 5-minute volumes. */
  volumeRatio: number;
  price: number;
  /** Change over the spike candle, fraction. */
  change5m: number;
  /** Change against the previous UTC-day close, fraction. */
  change24h: number;
  turnover24hKrw: number;
  cautions: string[];
  /** Recent closed 5-minute candles, oldest first (up to 12). */
  recentCandles: Candle[];
};

/** What an adviser decided and what is worth storing about it. */
export type Advice = {
  /** `pick`: enter `market`; `skip`: no entry this round. */
  action: 'pick' | 'skip';
  market: MarketCode | null;
  /** The adviser's own parsed recommendation when it gave one (may differ from `market` on a veto or fallback). */
  pick?: MarketCode | null;
  /** taken | vetoed | fallback | skipped — how the bot used the answer. */
  outcome: 'taken' | 'vetoed' | 'fallback' | 'skipped';
  outcomeReason: string | null;
  confidence: number | null;
  risk: string | null;
  reason: string | null;
  promptHash: string | null;
  rawAnswer: string | null;
  latencyMs: number | null;
  tokensIn: number | null;
  tokensOut: number | null;
};

export interface Adviser {
  readonly name: string;
  /** Whether a round with these candidates is worth recording (the default adviser's rounds are not). */
  readonly isRecorded: boolean;
  /** Candidates arrive ranked, best first, and are never empty. Must not throw: failures become a fallback. */
  advise(candidates: readonly Candidate[], now: number): Promise<Advice>;
}

const blank = { confidence: null, risk: null, reason: null, promptHash: null, rawAnswer: null, latencyMs: null, tokensIn: null, tokensOut: null };

/** The rule-based default: the top-ranked candidate. */
export const topCandidateAdviser: Adviser = {
  name: 'top-candidate',
  isRecorded: false,
  advise: async (candidates) => {
    const top = candidates[0];
    return top
      ? { ...blank, action: 'pick', market: top.market, outcome: 'taken', outcomeReason: 'highest volume ratio' }
      : { ...blank, action: 'skip', market: null, outcome: 'skipped', outcomeReason: 'no candidates' };
  },
};

export const fallbackAdvice = (candidates: readonly Candidate[], why: string, extra: Partial<Advice> = {}): Advice => ({
  ...blank,
  action: candidates[0] ? 'pick' : 'skip',
  market: candidates[0]?.market ?? null,
  outcome: 'fallback',
  outcomeReason: why,
  ...extra,
});
