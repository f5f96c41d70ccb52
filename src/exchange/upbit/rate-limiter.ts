// Per-group client-side rate limiter for Upbit: FIFO waiting, Remaining-Req correction, 429 back-off, 418 blocks.
import { RateLimited } from '../errors.ts';
import { RATE_LIMITS, RATE_GROUPS, isRateGroup, type RateGroup, type RateLimit } from './endpoints.ts';

// Each group is a token bucket of `capacity` tokens (burst = rate) whose tokens come back exactly one
// window after they were spent. A classic refill bucket can let 2×N through in one second (a full burst,
// then the refill), which a fixed or sliding 1-s window on the server answers with 429; this one never
// exceeds `capacity` in ANY window, whatever Upbit's window semantics are (UNCONFIRMED, §3.2).

export type RateLimiterOptions = {
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Fraction kept in reserve under each documented limit (default 0.1: 10/s → 9/s). */
  safetyMargin?: number;
  /** Extra ms before a spent token returns, absorbing network jitter (default 50). */
  windowPadMs?: number;
  limits?: Partial<Record<RateGroup, RateLimit>>;
  /** Full-jitter exponential pause after a 429: random × min(maxMs, baseMs × 2^(n−1)). */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /**
   * What a 418 blocks: `all` groups (default: upbit-api.md §3.3 says the IP or the pocket is blocked, so any other
   * group's request would be one more offence that can lengthen the block) or only the `group` that received it.
   * The real scope is UNCONFIRMED upstream (UPBIT_418_SCOPE).
   */
  blockScope?: BlockScope;
};

export type BlockScope = 'all' | 'group';

export type RemainingReq = { group: string; sec: number };

export type GroupBlock = { group: RateGroup; until: number; reason: string };

export interface RateLimiter {
  /** Waits (FIFO per group) until a request may be sent; throws RateLimited while a 418 block is in force. */
  acquire(group: RateGroup): Promise<void>;
  /** Corrects the local count from a `Remaining-Req` header; returns what was parsed. */
  observe(remainingReq: string | null | undefined): RemainingReq | null;
  /** A 429 was received: the group pauses (exponential, full jitter). Returns the pause in ms. */
  onTooManyRequests(group: RateGroup): number;
  /** A 418 was received: the group is blocked for `retryAfterMs`. */
  onBlocked(group: RateGroup, retryAfterMs: number): void;
  /** A non-429 answer arrived for the group: the 429 streak ends. */
  onAnswered(group: RateGroup): void;
  /** The longest 418 block or 429 pause in force, if any. */
  currentBlock(): GroupBlock | null;
  capacity(group: RateGroup): number;
}

/** Parses `group=default; min=1800; sec=29` (group names may contain '-'; `min` is ignored). */
export function parseRemainingReq(header: string | null | undefined): RemainingReq | null {
  if (!header) return null;
  const fields = new Map<string, string>();
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  const group = fields.get('group');
  const sec = Number(fields.get('sec'));
  if (!group || !/^[a-z][a-z0-9_-]*$/i.test(group) || !Number.isInteger(sec) || sec < 0) return null;
  return { group, sec };
}

const blockText = (g: RateGroup, by: RateGroup) =>
  by === g ? `rate group ${g} blocked (418)` : `blocked (418) after an answer to rate group ${by}`;

type Waiter = { resolve: () => void; reject: (e: unknown) => void };
type GroupState = {
  limit: RateLimit;
  capacity: number;
  /** Send times (and phantom sends learnt from Remaining-Req), ascending. */
  spent: number[];
  queue: Waiter[];
  isPumping: boolean;
  pausedUntil: number;
  blockedUntil: number;
  /** The group whose answer was the 418 in force (itself, or another one when the scope is `all`). */
  blockedBy: RateGroup;
  streak429: number;
};

export function createRateLimiter(opts: RateLimiterOptions = {}): RateLimiter {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = opts.random ?? Math.random;
  const margin = opts.safetyMargin ?? 0.1;
  const padMs = opts.windowPadMs ?? 50;
  const baseMs = opts.backoffBaseMs ?? 1_000;
  const maxMs = opts.backoffMaxMs ?? 30_000;
  const groups = new Map<RateGroup, GroupState>();
  for (const g of RATE_GROUPS) {
    const limit = opts.limits?.[g] ?? RATE_LIMITS[g];
    const capacity = Math.max(1, Math.floor(limit.requests * (1 - margin)));
    groups.set(g, { limit, capacity, spent: [], queue: [], isPumping: false, pausedUntil: 0, blockedUntil: 0, blockedBy: g, streak429: 0 });
  }
  const state = (g: RateGroup) => groups.get(g)!;

  const prune = (s: GroupState, t: number) => {
    const horizon = t - s.limit.windowMs - padMs;
    let i = 0;
    while (i < s.spent.length && s.spent[i]! <= horizon) i++;
    if (i > 0) s.spent.splice(0, i);
  };

  /** Ms until the group may send (0 = now). */
  const waitMs = (s: GroupState, t: number): number => {
    prune(s, t);
    let wait = Math.max(0, s.pausedUntil - t);
    if (s.spent.length >= s.capacity) {
      const oldest = s.spent[s.spent.length - s.capacity]!;
      wait = Math.max(wait, oldest + s.limit.windowMs + padMs - t);
    }
    return wait;
  };

  const blockScope = opts.blockScope ?? 'all';
  const blockedError = (g: RateGroup, s: GroupState, t: number) =>
    new RateLimited(`Not sent to Upbit (rate group ${g}): ${blockText(g, s.blockedBy)} for another ${s.blockedUntil - t} ms; try again after it`, {
      status: 418,
      retryAfterMs: s.blockedUntil - t,
    });

  const pump = async (g: RateGroup, s: GroupState) => {
    if (s.isPumping) return;
    s.isPumping = true;
    try {
      while (s.queue.length > 0) {
        const t = now();
        if (s.blockedUntil > t) {
          for (const w of s.queue.splice(0)) w.reject(blockedError(g, s, t));
          break;
        }
        const wait = waitMs(s, t);
        if (wait > 0) {
          await sleep(wait);
          continue;
        }
        s.spent.push(t);
        s.queue.shift()!.resolve();
      }
    } finally {
      s.isPumping = false;
    }
  };

  return {
    acquire(g) {
      const s = state(g);
      const t = now();
      if (s.blockedUntil > t) return Promise.reject(blockedError(g, s, t));
      if (s.queue.length === 0 && waitMs(s, t) === 0) {
        s.spent.push(t);
        return Promise.resolve();
      }
      return new Promise<void>((resolve, reject) => {
        s.queue.push({ resolve, reject });
        void pump(g, s);
      });
    },
    observe(header) {
      const parsed = parseRemainingReq(header);
      if (!parsed || !isRateGroup(parsed.group)) return parsed;
      const s = state(parsed.group);
      const t = now();
      prune(s, t);
      // The server has counted (limit − sec) in its current window; add the ones we did not see.
      const missing = s.limit.requests - parsed.sec - s.spent.length;
      for (let i = 0; i < missing; i++) s.spent.push(t);
      return parsed;
    },
    onTooManyRequests(g) {
      const s = state(g);
      s.streak429 += 1;
      const pause = Math.round(random() * Math.min(maxMs, baseMs * 2 ** (s.streak429 - 1)));
      const t = now();
      // Also treat the whole window as spent: the server says there is nothing left in it.
      while (s.spent.length < s.capacity) s.spent.push(t);
      s.pausedUntil = Math.max(s.pausedUntil, t + pause);
      return pause;
    },
    onBlocked(g, retryAfterMs) {
      const until = now() + Math.max(0, retryAfterMs);
      for (const [group, s] of groups) {
        if ((blockScope === 'group' && group !== g) || s.blockedUntil >= until) continue;
        s.blockedUntil = until;
        s.blockedBy = g;
      }
    },
    onAnswered(g) {
      state(g).streak429 = 0;
    },
    currentBlock() {
      const t = now();
      let best: GroupBlock | null = null;
      for (const [group, s] of groups) {
        const until = Math.max(s.blockedUntil, s.pausedUntil);
        if (until <= t || (best && best.until >= until)) continue;
        best = { group, until, reason: s.blockedUntil > t ? blockText(group, s.blockedBy) : `rate group ${group} paused after 429` };
      }
      return best;
    },
    capacity: (g) => state(g).capacity,
  };
}
