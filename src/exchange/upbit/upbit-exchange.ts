// The Exchange port on Upbit: REST client + parsers; plus a few Upbit-only calls the app may need.
import type { Candle, MarketCode, Order } from '../../core/types.ts';
import { OrderNotFound } from '../errors.ts';
import type { CandleQuery, CandleUnit, ClosedOrdersQuery, Exchange, OrderRef, PlaceOrderRequest, PlaceOrderResult } from '../exchange.ts';
import { toOrderBody, type TickSizeLookup } from './order-request.ts';
import { parseBalances, parseOrderChance } from './parse-account.ts';
import { type BatchCancelResult, parseBatchCancel, parseOrder, parseOrders } from './parse-order.ts';
import { parseCandles, parseInstruments, parseMarkets, parseOrderbooks, parseTickers, type UpbitInstrument } from './parse-quotation.ts';
import type { Logger } from '../../log.ts';
import type { SkippedRow } from './parse-util.ts';
import type { QueryParams } from './query.ts';
import type { RestStats, UpbitRestClient } from './rest-client.ts';

export type UpbitExchangeDeps = {
  client: UpbitRestClient;
  /** Max characters of a comma list of markets in one request (default 1,500); longer lists are chunked. */
  maxListChars?: number;
  /** Pages of 100 fetched by fetchOpenOrders at most (default 10). */
  maxOpenOrderPages?: number;
  /** Live tick sizes when known (else the KRW table in core/ticks.ts). */
  tickSize?: TickSizeLookup;
  /** Told once per market when a row of the market list or of a ticker reply is left out as malformed. */
  logger?: Pick<Logger, 'warn'>;
};

export type { ClosedOrdersQuery };

export type CancelOpenOrdersQuery = { side?: 'buy' | 'sell'; markets?: MarketCode[]; excludedMarkets?: MarketCode[] };

export interface UpbitExchange extends Exchange {
  /** POST /v1/orders/test: validates an order without creating it (probe tradability after maintenance). */
  testOrder(request: PlaceOrderRequest): Promise<Order>;
  fetchClosedOrders(query?: ClosedOrdersQuery): Promise<Order[]>;
  /** Live tick sizes, GET /v1/orderbook/instruments. */
  fetchInstruments(markets: MarketCode[]): Promise<UpbitInstrument[]>;
  /** DELETE /v1/orders/open (1 call per 2 s): cancels resting orders in bulk. */
  cancelOpenOrders(query?: CancelOpenOrdersQuery): Promise<BatchCancelResult>;
  stats(): RestStats;
}

const CANDLE_PATHS: Record<string, string> = { second: '/v1/candles/seconds', day: '/v1/candles/days' };
const candlePath = (unit: CandleUnit) => CANDLE_PATHS[String(unit)] ?? `/v1/candles/minutes/${unit}`;
const MINUTE_UNITS = new Set<CandleUnit>([1, 3, 5, 10, 15, 30, 60, 240, 'second', 'day']);

/** ISO UTC without milliseconds; an exclusive end rounds up to the second so it never drops a candle. */
export const toUpbitTime = (ms: number, rounding: 'up' | 'down' = 'up'): string =>
  new Date((rounding === 'up' ? Math.ceil(ms / 1000) : Math.floor(ms / 1000)) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Splits markets into comma lists of at most maxChars characters each. */
export function chunkMarkets(markets: readonly MarketCode[], maxChars: number): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const m of markets) {
    if (current && current.length + 1 + m.length > maxChars) {
      chunks.push(current);
      current = '';
    }
    current = current ? `${current},${m}` : m;
  }
  if (current) chunks.push(current);
  return chunks;
}

const refQuery = (ref: OrderRef): QueryParams => ('id' in ref ? { uuid: ref.id } : { identifier: ref.identifier });
const SIDE = { buy: 'bid', sell: 'ask' } as const;

export function createUpbitExchange(deps: UpbitExchangeDeps): UpbitExchange {
  const { client } = deps;
  const maxChars = deps.maxListChars ?? 1_500;
  const get = (path: string, query?: QueryParams, isPrivate = false) => client.request('GET', path, { query, isPrivate });
  const toldSkips = new Set<string>();
  const onSkip = (r: SkippedRow) => {
    const key = `${r.what}|${r.market ?? ''}`;
    if (toldSkips.has(key)) return;
    toldSkips.add(key);
    deps.logger?.warn({ market: r.market, field: r.field, detail: r.detail }, `Upbit ${r.what}: left out the row of ${r.market ?? 'an unnamed market'} (field ${r.field} ${r.detail})`);
  };

  async function perChunk<T>(markets: readonly MarketCode[], fetchChunk: (list: string) => Promise<T[]>): Promise<T[]> {
    if (markets.length === 0) return [];
    const parts = await Promise.all(chunkMarkets([...new Set(markets)], maxChars).map(fetchChunk));
    return parts.flat();
  }

  async function fetchCandles(q: CandleQuery): Promise<Candle[]> {
    const count = q.count ?? 200;
    if (!Number.isInteger(count) || count < 1 || count > 200) throw new RangeError(`Cannot fetch candles of ${q.market}: count must be 1..200 (got ${count})`);
    if (!MINUTE_UNITS.has(q.unit)) throw new RangeError(`Cannot fetch candles of ${q.market}: unsupported unit ${q.unit}`);
    const raw = await get(candlePath(q.unit), { market: q.market, to: q.to === undefined ? undefined : toUpbitTime(q.to), count });
    // Upbit answers newest first; the app gets oldest first.
    return parseCandles(raw).sort((a, b) => a.openTime - b.openTime);
  }

  async function fetchOpenOrders(market?: MarketCode): Promise<Order[]> {
    const orders: Order[] = [];
    for (let page = 1; page <= (deps.maxOpenOrderPages ?? 10); page++) {
      const raw = await get('/v1/orders/open', { market, 'states[]': ['wait', 'watch'], page, limit: 100, order_by: 'asc' }, true);
      const rows = parseOrders(raw);
      orders.push(...rows);
      if (rows.length < 100) break;
    }
    return orders;
  }

  return {
    listMarkets: async () => parseMarkets(await get('/v1/market/all', { is_details: true }), onSkip),
    fetchTickers: (markets) => perChunk(markets, async (list) => parseTickers(await get('/v1/ticker', { markets: list }), onSkip)),
    fetchCandles,
    fetchOrderbooks: (markets) => perChunk(markets, async (list) => parseOrderbooks(await get('/v1/orderbook', { markets: list }))),
    fetchBalances: async () => parseBalances(await get('/v1/accounts', undefined, true)),
    fetchOrderChance: async (market) => parseOrderChance(await get('/v1/orders/chance', { market }, true)),
    async placeOrder(request): Promise<PlaceOrderResult> {
      const result = await client.submitOrder(toOrderBody(request, deps.tickSize));
      return result.status === 'accepted' ? { status: 'accepted', order: parseOrder(result.data) } : result;
    },
    fetchOrder: async (ref) => parseOrder(await get('/v1/order', refQuery(ref), true)),
    async findOrderByIdentifier(identifier) {
      try {
        return parseOrder(await get('/v1/order', { identifier }, true));
      } catch (e) {
        if (e instanceof OrderNotFound) return null;
        throw e;
      }
    },
    cancelOrder: async (ref) => parseOrder(await client.request('DELETE', '/v1/order', { query: refQuery(ref), isPrivate: true })),
    fetchOpenOrders,
    health: () => client.health(),
    testOrder: async (request) =>
      parseOrder(await client.request('POST', '/v1/orders/test', { body: toOrderBody(request, deps.tickSize), isPrivate: true })),
    async fetchClosedOrders(q = {}) {
      const query: QueryParams = {
        market: q.market,
        'states[]': q.states,
        start_time: q.startTime === undefined ? undefined : toUpbitTime(q.startTime, 'down'),
        end_time: q.endTime === undefined ? undefined : toUpbitTime(q.endTime),
        limit: q.limit,
      };
      return parseOrders(await get('/v1/orders/closed', query, true));
    },
    fetchInstruments: (markets) => perChunk(markets, async (list) => parseInstruments(await get('/v1/orderbook/instruments', { markets: list }))),
    async cancelOpenOrders(q = {}) {
      const query: QueryParams = {
        cancel_side: q.side ? SIDE[q.side] : 'all',
        pairs: q.markets?.length ? q.markets.join(',') : undefined,
        excluded_pairs: q.excludedMarkets?.length ? q.excludedMarkets.join(',') : undefined,
      };
      return parseBatchCancel(await client.request('DELETE', '/v1/orders/open', { query, isPrivate: true }));
    },
    stats: () => client.stats(),
  };
}
