// The adviser's monthly request budget, counted per Korea-time calendar month from stored decisions.
import { KST_OFFSET_MS } from '../core/time.ts';

/**
 * The budget month is the Asia/Seoul calendar month (00:00 KST on the 1st), the same clock as the
 * bot's trading day and daily PnL, so the dashboard's "used this month" matches what the owner sees.
 */
export function kstMonthRange(ts: number): { from: number; to: number; key: string } {
  const d = new Date(ts + KST_OFFSET_MS);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  return {
    from: Date.UTC(y, m, 1) - KST_OFFSET_MS,
    to: Date.UTC(y, m + 1, 1) - KST_OFFSET_MS,
    key: `${y}-${String(m + 1).padStart(2, '0')}`,
  };
}

/** Requests already made in [from, to) — e.g. AdviserDecisionsRepo.countRequests for this adviser. */
export type CountRequests = (range: { from: number; to: number }) => Promise<number>;

export type QuotaCheck = { ok: true; used: number } | { ok: false; used: number; why: string };

export type MonthlyQuota = {
  readonly limit: number;
  /** Whether one more request fits this month. Never throws: a failing count refuses the request. */
  check(now: number): Promise<QuotaCheck>;
  /** Counts a request made now (before the caller has stored its decision). */
  record(now: number): void;
};

/**
 * The stored count is read once per month (and again after a failed read); requests made since are
 * counted here, so the budget holds whether or not the caller has stored its decision yet.
 */
export function createMonthlyQuota(deps: { limit: number; countRequests: CountRequests }): MonthlyQuota {
  let month: string | null = null;
  let used = 0;

  const load = async (now: number): Promise<void> => {
    const range = kstMonthRange(now);
    if (month === range.key) return;
    used = await deps.countRequests(range);
    month = range.key;
  };

  return {
    limit: deps.limit,
    async check(now) {
      try {
        await load(now);
      } catch (cause) {
        return { ok: false, used, why: `quota count failed: ${(cause as Error).message}` };
      }
      return used < deps.limit ? { ok: true, used } : { ok: false, used, why: `monthly quota spent (${used}/${deps.limit})` };
    },
    record(now) {
      if (month === kstMonthRange(now).key) used += 1;
    },
  };
}
