// Filters for the order list endpoints (open, closed, by uuids) and the cancel-all selection. Pure over SimOrder[].
import { exchangeError } from './errors.ts';
import { parseTimeParam } from './format.ts';
import type { SimOrder } from './orders.ts';

export type Query = { get(key: string): string | undefined; all(key: string): string[] };

const WEEK_MS = 7 * 86_400_000;
const invalid = (message: string) => exchangeError(400, 'validation_error', message);

function intIn(q: Query, key: string, dflt: number, max: number): number {
  const raw = q.get(key);
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw invalid(`${key} must be an integer from 1 to ${max}`);
  return n;
}

function ordered(q: Query, orders: SimOrder[]): SimOrder[] {
  const dir = q.get('order_by') ?? 'desc';
  if (dir !== 'asc' && dir !== 'desc') throw invalid('order_by must be asc or desc');
  // Orders are stored in creation order; a stable sort keeps that for equal timestamps.
  const asc = [...orders].sort((a, b) => a.createdAt - b.createdAt);
  return dir === 'asc' ? asc : asc.reverse();
}

function statesOf(q: Query, allowed: string[], dflt: string[]): string[] {
  const one = q.get('state');
  const many = q.all('states[]');
  if (one !== undefined && many.length > 0) throw invalid('state and states[] cannot be used together');
  const states = one !== undefined ? [one] : many.length > 0 ? many : dflt;
  for (const s of states) if (!allowed.includes(s)) throw invalid(`state is invalid: ${s}`);
  return states;
}

const byMarket = (q: Query) => (o: SimOrder) => {
  const m = q.get('market');
  return m === undefined || m === '' || o.market === m;
};

/** GET /v1/orders/open: wait orders (watch never exists here), paged. */
export function selectOpen(q: Query, orders: SimOrder[]): SimOrder[] {
  const states = statesOf(q, ['wait', 'watch'], ['wait']);
  const page = intIn(q, 'page', 1, 1_000_000);
  const limit = intIn(q, 'limit', 100, 100);
  const hit = orders.filter((o) => states.includes(o.state)).filter(byMarket(q));
  return ordered(q, hit).slice((page - 1) * limit, page * limit);
}

/** GET /v1/orders/closed: done/cancel orders created within a window of at most 7 days. */
export function selectClosed(q: Query, orders: SimOrder[], now: number): SimOrder[] {
  const states = statesOf(q, ['done', 'cancel'], ['done', 'cancel']);
  const limit = intIn(q, 'limit', 100, 1000);
  const time = (key: string): number | null => {
    const raw = q.get(key);
    if (raw === undefined || raw === '') return null;
    const t = parseTimeParam(raw);
    if (t === null) throw invalid(`${key} is not a time: ${raw}`);
    return t;
  };
  const start0 = time('start_time');
  const end0 = time('end_time');
  const start = start0 ?? (end0 !== null ? end0 - WEEK_MS : now - WEEK_MS);
  const end = end0 ?? (start0 !== null ? start0 + WEEK_MS : now);
  if (end < start || end - start > WEEK_MS) throw invalid('start_time/end_time window must be at most 7 days');
  const hit = orders.filter((o) => states.includes(o.state) && o.createdAt >= start && o.createdAt <= end).filter(byMarket(q));
  return ordered(q, hit).slice(0, limit);
}

/** GET /v1/orders/uuids (max 100) and DELETE /v1/orders/uuids (max 20): exactly one kind of id list. */
export function selectByIds(q: Query, orders: SimOrder[], max: number): SimOrder[] {
  const uuids = q.all('uuids[]');
  const ids = q.all('identifiers[]');
  if ((uuids.length > 0) === (ids.length > 0)) throw invalid('give either uuids[] or identifiers[]');
  const wanted = uuids.length > 0 ? uuids : ids;
  if (wanted.length > max) throw invalid(`at most ${max} ids`);
  const hit = orders.filter((o) => (uuids.length > 0 ? uuids.includes(o.uuid) : o.identifier !== null && ids.includes(o.identifier)));
  return ordered(q, hit.filter(byMarket(q)));
}

/** DELETE /v1/orders/open: which wait orders to cancel. */
export function selectCancelAll(q: Query, orders: SimOrder[]): SimOrder[] {
  const side = q.get('cancel_side') ?? 'all';
  if (!['all', 'bid', 'ask'].includes(side)) throw invalid('cancel_side must be all, bid or ask');
  const list = (key: string) => (q.get(key) ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  const pairs = list('pairs');
  const quotes = list('quote_currencies');
  const excluded = list('excluded_pairs');
  if (pairs.length > 0 && quotes.length > 0) throw invalid('pairs and quote_currencies cannot be used together');
  if (pairs.length > 20 || excluded.length > 20) throw invalid('at most 20 pairs');
  const count = intIn(q, 'count', 20, 300);
  const hit = orders.filter(
    (o) =>
      o.state === 'wait' &&
      !o.cancelRequested &&
      (side === 'all' || o.side === side) &&
      (pairs.length === 0 || pairs.includes(o.market)) &&
      (quotes.length === 0 || quotes.includes(o.market.split('-')[0] ?? '')) &&
      !excluded.includes(o.market),
  );
  return ordered(q, hit).slice(0, count);
}
