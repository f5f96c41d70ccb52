// Upbit WebSocket request frames, the per-connection message limit (5/s, 100/min) and reconnect backoff — all pure.
import type { MarketCode } from '../../core/types.ts';
import type { StreamCandleUnit } from './websocket-parsers.ts';

/** What one connection carries. Setting a new value replaces the whole set (Upbit: a new request replaces the old). */
export type StreamSubscriptions = {
  tickers?: MarketCode[];
  trades?: MarketCode[];
  candles?: { unit: StreamCandleUnit; markets: MarketCode[] }[];
  /** Private socket only: own orders and fills; [] = every market. */
  orders?: MarketCode[];
  /** Private socket only: balance changes. */
  balances?: boolean;
};

export type StreamFormat = 'DEFAULT' | 'SIMPLE';

const candleType = (unit: StreamCandleUnit) => (unit === 'second' ? 'candle.1s' : `candle.${unit}m`);
const upper = (codes: MarketCode[]) => [...new Set(codes.map((c) => c.toUpperCase()))];

/**
 * One request frame for everything: `[{ticket},{type,codes},…,{format}]`.
 * Returns null when there is nothing to subscribe (Upbit would answer NO_TYPE).
 * @see https://docs.upbit.com/kr/reference/websocket-guide
 */
export function buildRequestFrame(subs: StreamSubscriptions, ticket: string, format: StreamFormat): string | null {
  const types: Record<string, unknown>[] = [];
  if (subs.tickers?.length) types.push({ type: 'ticker', codes: upper(subs.tickers) });
  if (subs.trades?.length) types.push({ type: 'trade', codes: upper(subs.trades) });
  for (const c of subs.candles ?? []) if (c.markets.length) types.push({ type: candleType(c.unit), codes: upper(c.markets) });
  if (subs.orders) types.push(subs.orders.length ? { type: 'myOrder', codes: upper(subs.orders) } : { type: 'myOrder' });
  // myAsset takes no codes: sending any is WRONG_FORMAT.
  if (subs.balances) types.push({ type: 'myAsset' });
  if (types.length === 0) return null;
  return JSON.stringify([{ ticket }, ...types, { format }]);
}

/** Counts request messages on one connection: at most `perSecond` per 1 s and `perMinute` per 60 s (sliding). */
export type MessageLimiter = {
  /** Milliseconds to wait before the next message may be sent; 0 = now. */
  waitMs(now: number): number;
  record(now: number): void;
  reset(): void;
};

export function createMessageLimiter(perSecond = 5, perMinute = 100): MessageLimiter {
  let sent: number[] = [];
  const prune = (now: number) => {
    sent = sent.filter((t) => now - t < 60_000);
  };
  return {
    waitMs(now) {
      prune(now);
      const lastSecond = sent.filter((t) => now - t < 1_000);
      let wait = 0;
      if (lastSecond.length >= perSecond) wait = Math.max(wait, (lastSecond[lastSecond.length - perSecond] ?? now) + 1_000 - now);
      if (sent.length >= perMinute) wait = Math.max(wait, (sent[sent.length - perMinute] ?? now) + 60_000 - now);
      return wait;
    },
    record(now) {
      sent.push(now);
    },
    reset() {
      sent = [];
    },
  };
}

export type BackoffOptions = { baseMs: number; maxMs: number };

/** Exponential backoff with full jitter: uniform in [0, min(max, base·2^attempt)). `random` returns [0, 1). */
export function backoffDelayMs(attempt: number, opts: BackoffOptions, random: () => number): number {
  const ceiling = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}
