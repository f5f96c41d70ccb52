import { afterEach, describe, expect, test } from 'bun:test';
import { decodeJwt } from 'jose';
import { InvalidOrder, Unavailable } from '../../../src/exchange/errors.ts';
import { chunkMarkets, createUpbitExchange, toUpbitTime } from '../../../src/exchange/upbit/upbit-exchange.ts';
import { json, makeClient, startStub, type Recorded } from './rest-stub.ts';

type Fixture = { response: unknown; expected: unknown };
const load = async (name: string): Promise<Fixture> => Bun.file(new URL(`../../fixtures/upbit/${name}`, import.meta.url)).json();

const stops: Array<() => void> = [];
afterEach(() => {
  while (stops.length) stops.pop()!();
});

async function setup(route: (r: Recorded) => Response | Promise<Response>, maxListChars?: number) {
  const s = startStub(route);
  stops.push(s.stop);
  const { client } = makeClient(s.url, { retries: 0 });
  return { s, ex: createUpbitExchange({ client, maxListChars }) };
}
const q = (r: Recorded) => decodeURIComponent(r.search);

describe('createUpbitExchange: quotation', () => {
  test('listMarkets asks with is_details=true and parses market_event', async () => {
    const f = await load('market-all.json');
    const { s, ex } = await setup(() => json(f.response));
    expect(await ex.listMarkets()).toEqual(f.expected as never);
    expect(s.requests[0]!.path).toBe('/v1/market/all');
    expect(q(s.requests[0]!)).toBe('is_details=true');
  });

  test('a malformed ticker row is skipped and logged once per market; the other markets are priced', async () => {
    const f = await load('ticker.json');
    const rows = f.response as Array<Record<string, unknown>>;
    const bad = { ...rows[1], trade_price: 'n/a' } as Record<string, unknown>;
    const s = startStub(() => json([rows[0], bad]));
    stops.push(s.stop);
    const { client } = makeClient(s.url, { retries: 0 });
    const warnings: { obj: unknown; msg: string }[] = [];
    const warn = (obj: unknown, msg?: string) => void warnings.push({ obj, msg: msg ?? '' });
    const ex = createUpbitExchange({ client, logger: { warn: warn as never } });
    for (let i = 0; i < 3; i++) expect((await ex.fetchTickers([rows[0]!.market as string, bad.market as string])).map((t) => t.market)).toEqual([rows[0]!.market as string]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.obj).toMatchObject({ market: bad.market, field: 'trade_price' });
    expect(warnings[0]!.msg).toContain(`${bad.market as string}`);
  });

  test('fetchTickers sends many markets per call and chunks long lists', async () => {
    const f = await load('ticker.json');
    const rows = f.response as Array<{ market: string }>;
    const { s, ex } = await setup((r) => {
      const wanted = new URL(`http://x/?${r.search}`).searchParams.get('markets')!.split(',');
      return json(rows.filter((t) => wanted.includes(t.market)));
    }, 10);
    const tickers = await ex.fetchTickers(['KRW-BTC', 'KRW-ETH', 'KRW-BTC']);
    expect(tickers.map((t) => t.market).sort()).toEqual(['KRW-BTC', 'KRW-ETH']);
    expect(s.requests.map(q).sort()).toEqual(['markets=KRW-BTC', 'markets=KRW-ETH']);
    expect(chunkMarkets(['KRW-BTC', 'KRW-ETH', 'KRW-XRP'], 15)).toEqual(['KRW-BTC,KRW-ETH', 'KRW-XRP']);
    expect(await ex.fetchTickers([])).toEqual([]);
  });

  test('fetchCandles picks the path by unit, sends `to` as ISO UTC and returns oldest first', async () => {
    const f = await load('candles-minutes-1.json');
    const { s, ex } = await setup(() => json(f.response));
    const candles = await ex.fetchCandles({ market: 'KRW-BTC', unit: 1, to: Date.UTC(2020, 1, 20, 12, 0, 0, 250), count: 3 });
    expect(s.requests[0]!.path).toBe('/v1/candles/minutes/1');
    expect(q(s.requests[0]!)).toBe('market=KRW-BTC&to=2020-02-20T12:00:01Z&count=3');
    expect(candles.map((c) => c.openTime)).toEqual([...(f.expected as Array<{ openTime: number }>)].map((c) => c.openTime).reverse());
    await ex.fetchCandles({ market: 'KRW-BTC', unit: 'second' });
    await ex.fetchCandles({ market: 'KRW-BTC', unit: 'day' });
    expect(s.requests.slice(1).map((r) => `${r.path}?${q(r)}`)).toEqual(['/v1/candles/seconds?market=KRW-BTC&count=200', '/v1/candles/days?market=KRW-BTC&count=200']);
    await expect(ex.fetchCandles({ market: 'KRW-BTC', unit: 5, count: 201 })).rejects.toThrow(RangeError);
    expect(toUpbitTime(Date.UTC(2025, 5, 24, 4, 56, 53))).toBe('2025-06-24T04:56:53Z');
  });

  test('fetchOrderbooks and fetchInstruments parse their fixtures', async () => {
    const book = await load('orderbook.json');
    const inst = await load('orderbook-instruments.json');
    const { s, ex } = await setup((r) => json(r.path === '/v1/orderbook' ? book.response : inst.response));
    expect(await ex.fetchOrderbooks(['KRW-BTC'])).toEqual(book.expected as never);
    expect(await ex.fetchInstruments(['KRW-BTC', 'KRW-ETH'])).toEqual(inst.expected as never);
    expect(s.requests.map((r) => r.headers.get('authorization'))).toEqual([null, null]);
  });
});

describe('createUpbitExchange: account and orders', () => {
  test('fetchBalances and fetchOrderChance are signed calls', async () => {
    const acc = await load('accounts.json');
    const chance = await load('orders-chance.json');
    const { s, ex } = await setup((r) => json(r.path === '/v1/accounts' ? acc.response : chance.response));
    expect(await ex.fetchBalances()).toEqual(acc.expected as never);
    expect(await ex.fetchOrderChance('KRW-BTC')).toEqual(chance.expected as never);
    expect(decodeJwt(s.requests[0]!.headers.get('authorization')!.slice(7)).query_hash).toBeUndefined();
    expect(decodeJwt(s.requests[1]!.headers.get('authorization')!.slice(7)).query_hash).toBeString();
  });

  test('placeOrder sends a market buy as ord_type price and returns the accepted order', async () => {
    const f = await load('order-market-buy-cancel.json');
    const { s, ex } = await setup(() => json(f.response, 201));
    const result = await ex.placeOrder({ market: 'KRW-BTC', side: 'buy', kind: 'market', amountKrw: 6000, identifier: 'cb-20250809-0001' });
    expect(result.status).toBe('accepted');
    expect(result.status === 'accepted' && result.order.state).toBe('cancelled');
    expect(JSON.parse(s.requests[0]!.body)).toEqual({ market: 'KRW-BTC', side: 'bid', ord_type: 'price', price: '6000', identifier: 'cb-20250809-0001' });
  });

  test('placeOrder reports an unknown outcome on a 5xx and refuses bad identifiers without sending', async () => {
    const { s, ex } = await setup(() => new Response('', { status: 504 }));
    const result = await ex.placeOrder({ market: 'KRW-BTC', side: 'sell', kind: 'market', volume: 0.01, identifier: 'cb-9' });
    expect(result).toMatchObject({ status: 'unknown', identifier: 'cb-9' });
    await expect(ex.placeOrder({ market: 'KRW-BTC', side: 'sell', kind: 'market', volume: 0.01, identifier: 'bad id!' })).rejects.toBeInstanceOf(InvalidOrder);
    expect(s.requests).toHaveLength(1);
  });

  test('fetchOrder by uuid or identifier; findOrderByIdentifier gives null on order_not_found, throws otherwise', async () => {
    const f = await load('order-limit-ask-wait.json');
    const { s, ex } = await setup((r) => {
      if (q(r) === 'identifier=missing') return json({ error: { name: 'order_not_found', message: '주문을 찾지 못했습니다.' } }, 404);
      if (q(r) === 'identifier=broken') return new Response('', { status: 500 });
      return json(f.response);
    });
    expect((await ex.fetchOrder({ id: 'cdd92199' })).identifier).toBe('cb-limit-1');
    expect((await ex.findOrderByIdentifier('cb-limit-1'))?.state).toBe('open');
    expect(await ex.findOrderByIdentifier('missing')).toBeNull();
    await expect(ex.findOrderByIdentifier('broken')).rejects.toBeInstanceOf(Unavailable);
    expect(s.requests.slice(0, 2).map(q)).toEqual(['uuid=cdd92199', 'identifier=cb-limit-1']);
  });

  test('cancelOrder, fetchOpenOrders (paged, wait and watch), fetchClosedOrders, cancelOpenOrders, testOrder', async () => {
    const f = await load('order-limit-ask-wait.json');
    const batch = await load('orders-batch-cancel.json');
    const page = (n: number) => Array.from({ length: n }, (_, i) => ({ ...(f.response as object), uuid: `u${i}` }));
    const { s, ex } = await setup((r) => {
      if (r.path === '/v1/orders/open' && r.method === 'GET') return json(q(r).includes('page=1') ? page(100) : page(3));
      if (r.path === '/v1/orders/open') return json(batch.response);
      if (r.path === '/v1/orders/closed') return json([]);
      return json(f.response, r.method === 'POST' ? 201 : 200);
    });
    expect((await ex.cancelOrder({ identifier: 'cb-limit-1' })).id).toBe('cdd92199-2897-4e14-9448-f923320408ad');
    expect(await ex.fetchOpenOrders('KRW-BTC')).toHaveLength(103);
    expect(await ex.fetchClosedOrders({ market: 'KRW-BTC', startTime: Date.UTC(2025, 0, 1, 0, 0, 0, 900), states: ['done'] })).toEqual([]);
    expect(await ex.cancelOpenOrders({ side: 'sell', markets: ['KRW-BTC', 'KRW-ETH'] })).toEqual(batch.expected as never);
    expect((await ex.testOrder({ market: 'KRW-BTC', side: 'sell', kind: 'limit', price: 140_000_000, volume: 1, identifier: 'probe-1' })).kind).toBe('limit');
    const seen = s.requests.map((r) => `${r.method} ${r.path}?${q(r)}`);
    expect(seen).toEqual([
      'DELETE /v1/order?identifier=cb-limit-1',
      'GET /v1/orders/open?market=KRW-BTC&states[]=wait&states[]=watch&page=1&limit=100&order_by=asc',
      'GET /v1/orders/open?market=KRW-BTC&states[]=wait&states[]=watch&page=2&limit=100&order_by=asc',
      'GET /v1/orders/closed?market=KRW-BTC&states[]=done&start_time=2025-01-01T00:00:00Z',
      'DELETE /v1/orders/open?cancel_side=ask&pairs=KRW-BTC,KRW-ETH',
      'POST /v1/orders/test?',
    ]);
    expect(ex.stats()['order-cancel-all'].requests).toBe(1);
    expect(ex.health().isDegraded).toBe(false);
  });
});
