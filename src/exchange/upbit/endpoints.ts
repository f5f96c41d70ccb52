// Upbit endpoints → rate-limit group, and each group's documented limit (shared/upbit-api.md §3.1).

export type RateGroup =
  | 'market'
  | 'candle'
  | 'trade'
  | 'ticker'
  | 'orderbook'
  | 'default'
  | 'order'
  | 'order-test'
  | 'order-cancel-all';

export type RateLimit = { requests: number; windowMs: number };

/** Documented limits: quotation 10/s per IP; exchange per pocket (order 12/s since 2026-08-21). */
export const RATE_LIMITS: Readonly<Record<RateGroup, RateLimit>> = {
  market: { requests: 10, windowMs: 1_000 },
  candle: { requests: 10, windowMs: 1_000 },
  trade: { requests: 10, windowMs: 1_000 },
  ticker: { requests: 10, windowMs: 1_000 },
  orderbook: { requests: 10, windowMs: 1_000 },
  default: { requests: 30, windowMs: 1_000 },
  order: { requests: 12, windowMs: 1_000 },
  'order-test': { requests: 8, windowMs: 1_000 },
  'order-cancel-all': { requests: 1, windowMs: 2_000 },
};

export const RATE_GROUPS = Object.keys(RATE_LIMITS) as RateGroup[];

export const isRateGroup = (name: string): name is RateGroup => Object.hasOwn(RATE_LIMITS, name);

type Method = 'GET' | 'POST' | 'DELETE';
type Route = { method: Method | '*'; path: string; isPrefix?: boolean; group: RateGroup; isPrivate: boolean };

/** The one endpoint table. First match wins; anything unlisted under /v1 is an Exchange call in `default`. */
export const ENDPOINTS: ReadonlyArray<Route> = [
  { method: 'GET', path: '/v1/market/all', group: 'market', isPrivate: false },
  { method: 'GET', path: '/v1/candles/', isPrefix: true, group: 'candle', isPrivate: false },
  { method: 'GET', path: '/v1/trades/ticks', group: 'trade', isPrivate: false },
  { method: 'GET', path: '/v1/ticker', group: 'ticker', isPrivate: false },
  { method: 'GET', path: '/v1/ticker/all', group: 'ticker', isPrivate: false },
  { method: 'GET', path: '/v1/orderbook', group: 'orderbook', isPrivate: false },
  { method: 'GET', path: '/v1/orderbook/instruments', group: 'orderbook', isPrivate: false },
  { method: 'POST', path: '/v1/orders', group: 'order', isPrivate: true },
  { method: 'POST', path: '/v1/orders/cancel_and_new', group: 'order', isPrivate: true },
  { method: 'POST', path: '/v1/orders/test', group: 'order-test', isPrivate: true },
  { method: 'DELETE', path: '/v1/orders/open', group: 'order-cancel-all', isPrivate: true },
  { method: '*', path: '/v1/', isPrefix: true, group: 'default', isPrivate: true },
];

export type EndpointInfo = { group: RateGroup; isPrivate: boolean };

export function endpointInfo(method: string, path: string): EndpointInfo {
  const m = method.toUpperCase();
  for (const r of ENDPOINTS) {
    if (r.method !== '*' && r.method !== m) continue;
    if (r.isPrefix ? path.startsWith(r.path) : path === r.path) return { group: r.group, isPrivate: r.isPrivate };
  }
  return { group: 'default', isPrivate: true };
}

export const groupFor = (method: string, path: string): RateGroup => endpointInfo(method, path).group;
