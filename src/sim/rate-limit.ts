// Upbit rate limits per group in fixed windows of real time, with 429 over the limit and a growing 418
// block after repeated 429s. See shared/upbit-api.md §3 (https://docs.upbit.com/kr/reference/rate-limits).

export type RateGroup = 'market' | 'candle' | 'trade' | 'ticker' | 'orderbook' | 'default' | 'order' | 'order-test' | 'order-cancel-all';

export type GroupLimit = { max: number; windowMs: number };

export const DEFAULT_LIMITS: Readonly<Record<RateGroup, GroupLimit>> = {
  market: { max: 10, windowMs: 1000 },
  candle: { max: 10, windowMs: 1000 },
  trade: { max: 10, windowMs: 1000 },
  ticker: { max: 10, windowMs: 1000 },
  orderbook: { max: 10, windowMs: 1000 },
  default: { max: 30, windowMs: 1000 },
  order: { max: 12, windowMs: 1000 },
  'order-test': { max: 8, windowMs: 1000 },
  'order-cancel-all': { max: 1, windowMs: 2000 },
};

export type RateLimitOptions = {
  /** Real (wall-clock) epoch ms: limits are about requests per real second, whatever the sim speed. */
  now: () => number;
  limits?: Partial<Record<RateGroup, GroupLimit>>;
  /** Consecutive 429s of one caller before it is blocked with 418 (UNCONFIRMED upstream; default 10). */
  blockAfter429?: number;
  /** First block length; each further block multiplies it by blockGrowth, up to maxBlockSec. */
  blockBaseSec?: number;
  blockGrowth?: number;
  maxBlockSec?: number;
};

export type RateDecision =
  | { kind: 'ok'; group: RateGroup; remaining: number }
  | { kind: 'limited'; group: RateGroup; remaining: 0 }
  | { kind: 'blocked'; group: RateGroup; remaining: 0; retryAfterSec: number };

export type RateStats = { requests: Record<string, number>; limited: number; blocked: number };

export type RateLimiter = {
  /** Charges one request of `caller` (an IP or an account) to `group`. */
  check(group: RateGroup, caller: string): RateDecision;
  /** `Remaining-Req` header value. */
  header(group: RateGroup, remaining: number): string;
  stats(): RateStats;
};

type Window = { start: number; used: number };
type Caller = { consecutive429: number; offences: number; blockedUntil: number };

export function createRateLimiter(opts: RateLimitOptions): RateLimiter {
  const limits: Record<RateGroup, GroupLimit> = { ...DEFAULT_LIMITS, ...opts.limits };
  const blockAfter = opts.blockAfter429 ?? 10;
  const baseSec = opts.blockBaseSec ?? 1;
  const growth = opts.blockGrowth ?? 2;
  const maxSec = opts.maxBlockSec ?? 600;
  const windows = new Map<string, Window>();
  const callers = new Map<string, Caller>();
  const stats: RateStats = { requests: {}, limited: 0, blocked: 0 };

  const callerOf = (key: string): Caller => {
    let c = callers.get(key);
    if (!c) callers.set(key, (c = { consecutive429: 0, offences: 0, blockedUntil: 0 }));
    return c;
  };

  function check(group: RateGroup, caller: string): RateDecision {
    const now = opts.now();
    stats.requests[group] = (stats.requests[group] ?? 0) + 1;
    const c = callerOf(caller);
    if (now < c.blockedUntil) {
      stats.blocked++;
      return { kind: 'blocked', group, remaining: 0, retryAfterSec: Math.max(1, Math.ceil((c.blockedUntil - now) / 1000)) };
    }
    const { max, windowMs } = limits[group];
    const start = Math.floor(now / windowMs) * windowMs;
    const key = `${group}|${caller}`;
    let w = windows.get(key);
    if (!w || w.start !== start) windows.set(key, (w = { start, used: 0 }));
    if (w.used < max) {
      w.used++;
      c.consecutive429 = 0;
      return { kind: 'ok', group, remaining: max - w.used };
    }
    c.consecutive429++;
    if (c.consecutive429 > blockAfter) {
      c.offences++;
      c.consecutive429 = 0;
      const sec = Math.min(maxSec, baseSec * growth ** (c.offences - 1));
      c.blockedUntil = now + sec * 1000;
      stats.blocked++;
      return { kind: 'blocked', group, remaining: 0, retryAfterSec: Math.ceil(sec) };
    }
    stats.limited++;
    return { kind: 'limited', group, remaining: 0 };
  }

  return {
    check,
    header: (group, remaining) => `group=${group}; min=${Math.round((limits[group].max * 60_000) / limits[group].windowMs)}; sec=${remaining}`,
    stats: () => ({ requests: { ...stats.requests }, limited: stats.limited, blocked: stats.blocked }),
  };
}
