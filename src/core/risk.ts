// Entry risk rules, one function each, returning a Verdict from the data passed in; plus the KST day number.
import { costWithFee, meetsMinimum, MIN_ORDER_KRW } from './ticks.ts';
import { DAY_MS, KST_OFFSET_MS } from './time.ts';
import type { MarketCode, Verdict } from './types.ts';

const MINUTE_MS = 60_000;

/** The KST calendar helpers live in core/time.ts (UTC+9, no DST); re-exported here for the risk callers. */
export { DAY_MS, KST_OFFSET_MS, kstDayOf, kstDayStart, nextKstMidnight } from './time.ts';

/** Days since 1970-01-01 of the Asia/Seoul day containing ts: plain arithmetic, no Date (used per close). */
export const kstDayNumber = (ts: number): number => Math.floor((ts + KST_OFFSET_MS) / DAY_MS);

/** The shared "allowed" verdict (no allocation when a rule passes). */
export const OK: Verdict = Object.freeze({ ok: true });
const refuse = (rule: string, reason: string): Verdict => ({ ok: false, rule, reason });

/** Open positions plus pending entries must stay below maxPositions for a new entry. */
export function checkMaxPositions(openPositions: number, pendingEntries: number, maxPositions: number): Verdict {
  const used = openPositions + pendingEntries;
  if (used < maxPositions) return OK;
  return refuse('max-positions', `${used} of ${maxPositions} positions open or pending`);
}

/** Never two positions in one market, counting a pending entry as held. */
export function checkNoDuplicate(market: MarketCode, isHeld: boolean, isPending: boolean): Verdict {
  if (isHeld) return refuse('duplicate', `${market} is already held`);
  if (isPending) return refuse('duplicate', `${market} already has a pending entry`);
  return OK;
}

/** No entry while the KST day's realised PnL is at or below the (negative) limit; exits are never blocked. */
export function checkDailyLoss(realisedPnlTodayKrw: number, dailyLossLimitKrw: number): Verdict {
  if (realisedPnlTodayKrw > dailyLossLimitKrw) return OK;
  return refuse('daily-loss', `today's realised PnL ${realisedPnlTodayKrw} KRW is at or below the limit ${dailyLossLimitKrw} KRW`);
}

/** Free KRW must cover the amount plus the buy fee. */
export function checkFunds(freeKrw: number, amountKrw: number, feeRate: number): Verdict {
  const needed = costWithFee(amountKrw, feeRate);
  if (freeKrw + 1e-6 >= needed) return OK;
  return refuse('funds', `free KRW ${freeKrw} is below amount plus fee ${needed}`);
}

/**
 * No entry in a market for cooldownMinutes after a stop-loss exit there (0 disables). The entry is
 * allowed again at exactly lastStopLossAt + cooldown.
 */
export function checkCooldown(
  market: MarketCode,
  lastStopLossAt: number | null,
  now: number,
  cooldownMinutes: number,
): Verdict {
  if (cooldownMinutes <= 0 || lastStopLossAt === null) return OK;
  const until = lastStopLossAt + cooldownMinutes * MINUTE_MS;
  if (now >= until) return OK;
  return refuse('cooldown', `${market} is cooling down after a stop-loss until ${until}`);
}

/** Upbit flags: a warning, any caution, or a scheduled delisting date. */
export type MarketFlags = { isWarning: boolean; cautions: readonly string[]; delistingDate?: string | null };

export const NO_FLAGS: MarketFlags = Object.freeze({ isWarning: false, cautions: Object.freeze([]) });

export const isFlagged = (f: MarketFlags): boolean =>
  f.isWarning || f.cautions.length > 0 || (f.delistingDate !== undefined && f.delistingDate !== null);

/** Warning, caution and delisting markets are never entered. */
export function checkMarketFlags(market: MarketCode, flags: MarketFlags): Verdict {
  if (flags.isWarning) return refuse('market-flag', `${market} is under an investment warning`);
  if (flags.cautions.length > 0) return refuse('market-flag', `${market} has caution flags: ${flags.cautions.join(', ')}`);
  if (flags.delistingDate) return refuse('market-flag', `${market} is to be delisted on ${flags.delistingDate}`);
  return OK;
}

/** Upbit's minimum order value. */
export function checkMinOrder(amountKrw: number): Verdict {
  if (meetsMinimum(amountKrw)) return OK;
  return refuse('min-order', `order amount ${amountKrw} KRW is below the minimum ${MIN_ORDER_KRW} KRW`);
}

export type RiskSettings = {
  investmentKrw: number;
  maxPositions: number;
  dailyLossLimit: number;
  cooldownMinutes: number;
  feeRate: number;
};

/** Everything the entry rules look at, gathered by the caller at decision time. */
export type EntryContext = {
  market: MarketCode;
  now: number;
  flags: MarketFlags;
  isHeld: boolean;
  isPending: boolean;
  openPositions: number;
  pendingEntries: number;
  /** Realised PnL of the KST day containing `now`. */
  realisedPnlTodayKrw: number;
  freeKrw: number;
  lastStopLossAt: number | null;
};

/**
 * Runs the entry rules in order — market flags, minimum order, duplicate, max positions, daily loss,
 * cooldown, funds — and returns the first refusal, or OK.
 */
export function checkEntry(c: EntryContext, s: RiskSettings): Verdict {
  let v = checkMarketFlags(c.market, c.flags);
  if (v.ok) v = checkMinOrder(s.investmentKrw);
  if (v.ok) v = checkNoDuplicate(c.market, c.isHeld, c.isPending);
  if (v.ok) v = checkMaxPositions(c.openPositions, c.pendingEntries, s.maxPositions);
  if (v.ok) v = checkDailyLoss(c.realisedPnlTodayKrw, s.dailyLossLimit);
  if (v.ok) v = checkCooldown(c.market, c.lastStopLossAt, c.now, s.cooldownMinutes);
  if (v.ok) v = checkFunds(c.freeKrw, s.investmentKrw, s.feeRate);
  return v;
}
