import { afterEach, describe, expect, test } from 'bun:test';
import { decodeJwt, jwtVerify } from 'jose';
import { InsufficientFunds, InvalidOrder, RateLimited, Timeout, Unavailable } from '../../../src/exchange/errors.ts';
import { sha512Hex } from '../../../src/exchange/upbit/auth.ts';
import { json, makeClient, SECRET_KEY, startStub, type Recorded } from './rest-stub.ts';
import { createVirtualTime } from './virtual-time.ts';

const stops: Array<() => void> = [];
afterEach(() => {
  while (stops.length) stops.pop()!();
});
function stub(handle: Parameters<typeof startStub>[0], now?: () => number) {
  const s = startStub(handle, now);
  stops.push(s.stop);
  return s;
}
const jwtOf = (r: Recorded) => (r.headers.get('authorization') ?? '').replace(/^Bearer /, '');

describe('rest client: requests on the wire', () => {
  test('a public GET sends the encoded query, no Authorization and no Origin', async () => {
    const s = stub(() => json([]));
    const { client } = makeClient(s.url);
    await client.request('GET', '/v1/candles/minutes/1', { query: { market: 'KRW-BTC', to: '2025-06-24T04:56:53Z', count: 2 } });
    const r = s.requests[0]!;
    expect(r.search).toBe('market=KRW-BTC&to=2025-06-24T04%3A56%3A53Z&count=2');
    expect(r.headers.get('authorization')).toBeNull();
    expect(r.headers.get('origin')).toBeNull();
  });

  test('a private GET signs a JWT whose query_hash matches the decoded query the server saw', async () => {
    const s = stub(() => json({}));
    const { client } = makeClient(s.url);
    await client.request('GET', '/v1/orders/closed', { query: { market: 'KRW-BTC', 'states[]': ['done', 'cancel'], start_time: '2024-08-19T00:00:00+09:00' }, isPrivate: true });
    const r = s.requests[0]!;
    const { payload } = await jwtVerify(jwtOf(r), new TextEncoder().encode(SECRET_KEY));
    expect(payload.query_hash).toBe(sha512Hex(decodeURIComponent(r.search)));
    expect(r.headers.get('origin')).toBeNull();
  });

  test('a POST sends a JSON body of strings whose k=v form matches query_hash', async () => {
    const s = stub(() => json({}, 201));
    const { client } = makeClient(s.url);
    await client.request('POST', '/v1/orders/test', { body: { market: 'KRW-BTC', side: 'bid', ord_type: 'price', price: 6000, volume: null }, isPrivate: true });
    const r = s.requests[0]!;
    expect(r.body).toBe('{"market":"KRW-BTC","side":"bid","ord_type":"price","price":"6000"}');
    expect(r.headers.get('content-type')).toContain('application/json');
    const hashed = Object.entries(JSON.parse(r.body) as Record<string, string>).map(([k, v]) => `${k}=${v}`).join('&');
    expect(decodeJwt(jwtOf(r)).query_hash).toBe(sha512Hex(hashed));
  });

  test('a private call without keys fails before sending anything', async () => {
    const s = stub(() => json({}));
    const { client } = makeClient(s.url, { client: { auth: undefined } });
    await expect(client.request('GET', '/v1/accounts', { isPrivate: true })).rejects.toThrow('no Upbit API keys');
    expect(s.requests).toHaveLength(0);
  });
});

describe('rest client: timeouts and retries', () => {
  test('a read that times out is retried and then succeeds', async () => {
    const s = stub(async (_r, n) => {
      if (n === 1) await Bun.sleep(400);
      return json({ ok: n });
    });
    const { client } = makeClient(s.url, { timeoutMs: 60, retries: 2 });
    expect(await client.request('GET', '/v1/ticker', { query: { markets: 'KRW-BTC' } })).toEqual({ ok: 2 });
    expect(s.requests).toHaveLength(2);
  });

  test('a read that keeps timing out throws Timeout after retries + 1 attempts', async () => {
    const s = stub(async () => {
      await Bun.sleep(400);
      return json({});
    });
    const { client } = makeClient(s.url, { timeoutMs: 40, retries: 1 });
    const err = await client.request('GET', '/v1/accounts', { isPrivate: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Timeout);
    expect((err as Timeout).message).toContain('GET /v1/accounts');
    expect(s.requests).toHaveLength(2);
  });

  test('retried reads carry a fresh JWT nonce each attempt and back off with full jitter', async () => {
    const s = stub((_r, n) => (n < 3 ? json({ error: { name: 'internal_server_error', message: 'oops' } }, 503) : json({ uuid: 'x' })));
    const { client, vt } = makeClient(s.url, { retries: 3, client: { retryBaseMs: 200 } });
    await client.request('GET', '/v1/order', { query: { uuid: 'x' }, isPrivate: true });
    const nonces = s.requests.map((r) => decodeJwt(jwtOf(r)).nonce);
    expect(nonces).toHaveLength(3);
    expect(new Set(nonces).size).toBe(3);
    expect(vt.sleeps).toEqual([100, 200]); // random 0.5 × 200 × 2^i
  });

  test('a rejection is not retried', async () => {
    const s = stub(() => json({ error: { name: 'validation_error', message: 'bad' } }, 400));
    const { client } = makeClient(s.url, { retries: 3 });
    await expect(client.request('GET', '/v1/orders/chance', { query: { market: 'KRW-BTC' }, isPrivate: true })).rejects.toBeInstanceOf(InvalidOrder);
    expect(s.requests).toHaveLength(1);
  });

  test('POST /v1/orders/test is retried like a read', async () => {
    const s = stub((_r, n) => (n === 1 ? new Response('bad gateway', { status: 502 }) : json({ uuid: 't' }, 201)));
    const { client } = makeClient(s.url, { retries: 2 });
    expect(await client.request('POST', '/v1/orders/test', { body: { market: 'KRW-BTC' }, isPrivate: true })).toEqual({ uuid: 't' });
    expect(s.requests).toHaveLength(2);
  });
});

describe('rest client: POST /v1/orders is never retried', () => {
  const body = { market: 'KRW-BTC', side: 'bid', ord_type: 'price', price: '6000', identifier: 'cb-1' };

  test('a 500 gives an unknown outcome carrying the identifier after exactly one request', async () => {
    const s = stub(() => json({ error: { name: 'internal_server_error', message: 'x' } }, 500));
    const { client } = makeClient(s.url, { retries: 5 });
    const result = await client.submitOrder(body);
    expect(result).toMatchObject({ status: 'unknown', identifier: 'cb-1' });
    expect(result.status === 'unknown' && result.cause).toBeInstanceOf(Unavailable);
    expect(s.requests).toHaveLength(1);
  });

  test('a timeout gives an unknown outcome', async () => {
    const s = stub(async () => {
      await Bun.sleep(400);
      return json({}, 201);
    });
    const { client } = makeClient(s.url, { retries: 5, timeoutMs: 40 });
    const result = await client.submitOrder(body);
    expect(result).toMatchObject({ status: 'unknown', identifier: 'cb-1' });
    expect(result.status === 'unknown' && result.cause).toBeInstanceOf(Timeout);
    expect(s.requests).toHaveLength(1);
  });

  test('a dropped connection gives an unknown outcome', async () => {
    let seen = 0;
    const listener = Bun.listen({
      hostname: '127.0.0.1',
      port: 0,
      socket: {
        data(socket) {
          seen++;
          socket.end();
        },
      },
    });
    stops.push(() => listener.stop(true));
    const { client } = makeClient(`http://127.0.0.1:${listener.port}`, { retries: 5 });
    const result = await client.submitOrder(body);
    expect(result).toMatchObject({ status: 'unknown', identifier: 'cb-1' });
    expect(seen).toBe(1);
  });

  test('a definite rejection is thrown, not reported as unknown', async () => {
    const s = stub(() => json({ error: { name: 'insufficient_funds_bid', message: '부족' } }, 400));
    const { client } = makeClient(s.url);
    await expect(client.submitOrder(body)).rejects.toBeInstanceOf(InsufficientFunds);
  });

  test('an accepted order returns its data', async () => {
    const s = stub(() => json({ uuid: 'u-1' }, 201));
    const { client } = makeClient(s.url);
    expect(await client.submitOrder(body)).toEqual({ status: 'accepted', data: { uuid: 'u-1' } });
  });
});
