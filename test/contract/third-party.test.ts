// Contract: the simulator as an outside Upbit client sees it — raw fetch + jose, nothing of our client — with
// Upbit's field names and types (upbit-api.md), and `bun run sim` started as a child process once.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createHash } from 'node:crypto';
import { SignJWT } from 'jose';
import { startSimulator, type Simulator } from '../../src/sim/server.ts';

const ACCESS = 'third-party-access';
const SECRET = 'third-party-secret';
let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ accessKey: ACCESS, secretKey: SECRET, speed: 0, stepIntervalMs: 0, syntheticCount: 4, seed: 5, wsHub: null, startAt: Date.UTC(2025, 8, 5) });
});
afterAll(() => sim.stop());

type Json = Record<string, unknown>;
const REMAINING_REQ = /^group=([a-z-]+); min=\d+; sec=\d+$/;

/** What the official Node samples do: hash the unencoded query (or body pairs), sign with the raw secret. */
async function upbit(method: string, path: string, params: Array<[string, string]> = [], alg: 'HS256' | 'HS512' = 'HS512') {
  const raw = params.map(([k, v]) => `${k}=${v}`).join('&');
  const claims: Json = { access_key: ACCESS, nonce: crypto.randomUUID() };
  if (raw) Object.assign(claims, { query_hash: createHash('sha512').update(raw).digest('hex'), query_hash_alg: 'SHA512' });
  const jwt = await new SignJWT(claims).setProtectedHeader({ alg, typ: 'JWT' }).sign(new TextEncoder().encode(SECRET));
  const headers: Record<string, string> = { Authorization: `Bearer ${jwt}` };
  const isPost = method === 'POST';
  if (isPost) headers['Content-Type'] = 'application/json; charset=utf-8';
  const wire = params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
  const url = `${sim.restUrl}${path}${!isPost && wire ? `?${wire}` : ''}`;
  return fetch(url, { method, headers, ...(isPost ? { body: JSON.stringify(Object.fromEntries(params)) } : {}) });
}
const publicGet = (pathAndQuery: string) => fetch(`${sim.restUrl}${pathAndQuery}`);
const groupOf = (r: Response) => REMAINING_REQ.exec(r.headers.get('remaining-req') ?? '')?.[1];

describe('a third-party Upbit client against the simulator', () => {
  test('Quotation endpoints answer numbers, Upbit field names, Remaining-Req and integer error names', async () => {
    const plain = (await (await publicGet('/v1/market/all')).json()) as Json[];
    expect(Object.keys(plain[0]!).sort()).toEqual(['english_name', 'korean_name', 'market']);
    const detailed = await publicGet('/v1/market/all?is_details=true');
    expect(groupOf(detailed)).toBe('market');
    const caution = ((await detailed.json()) as Array<{ market_event: { warning: boolean; caution: Json } }>)[0]!.market_event.caution;
    expect(Object.keys(caution).sort()).toEqual(['CONCENTRATION_OF_SMALL_ACCOUNTS', 'DEPOSIT_AMOUNT_SOARING', 'GLOBAL_PRICE_DIFFERENCES', 'PRICE_FLUCTUATIONS', 'TRADING_VOLUME_SOARING']);

    const tickerRes = await publicGet('/v1/ticker?markets=KRW-BTC,KRW-ETH');
    expect(groupOf(tickerRes)).toBe('ticker');
    const [btc] = (await tickerRes.json()) as Json[];
    for (const k of ['trade_price', 'opening_price', 'prev_closing_price', 'signed_change_rate', 'acc_trade_price_24h', 'acc_trade_volume_24h', 'trade_timestamp', 'timestamp']) {
      expect(typeof btc![k]).toBe('number');
    }
    expect(btc).toMatchObject({ market: 'KRW-BTC', trade_date: expect.stringMatching(/^\d{8}$/), trade_time: expect.stringMatching(/^\d{6}$/) });
    expect(btc!.change).toBeOneOf(['EVEN', 'RISE', 'FALL']);

    const candles = (await (await publicGet('/v1/candles/minutes/5?market=KRW-BTC&count=3')).json()) as Json[];
    expect(candles).toHaveLength(3);
    expect(candles[0]).toMatchObject({ unit: 5, candle_date_time_utc: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/) });
    expect(String(candles[0]!.candle_date_time_utc) > String(candles[1]!.candle_date_time_utc)).toBe(true); // newest first
    expect(typeof candles[0]!.candle_acc_trade_volume).toBe('number');

    const [book] = (await (await publicGet('/v1/orderbook?markets=KRW-BTC')).json()) as Array<{ orderbook_units: Json[] }>;
    expect(book!.orderbook_units).toHaveLength(30);
    expect(Object.keys(book!.orderbook_units[0]!).sort()).toEqual(['ask_price', 'ask_size', 'bid_price', 'bid_size']);

    const missing = await publicGet('/v1/ticker?markets=KRW-NOPE');
    expect([missing.status, await missing.json()]).toEqual([404, { error: { name: 404, message: 'Code not found' } }]);
  });

  test('Exchange endpoints answer strings, 201 on order creation, and {error:{name,message}} with string names', async () => {
    const accounts = await upbit('GET', '/v1/accounts', [], 'HS256');
    expect(groupOf(accounts)).toBe('default');
    expect((await accounts.json()) as Json[]).toEqual([{ currency: 'KRW', balance: '1000000', locked: '0', avg_buy_price: '0', avg_buy_price_modified: false, unit_currency: 'KRW' }]);

    const body: Array<[string, string]> = [['market', 'KRW-XRP'], ['side', 'bid'], ['volume', '6'], ['price', '1000'], ['ord_type', 'limit'], ['identifier', 'tp-1']];
    const created = await upbit('POST', '/v1/orders', body);
    expect([created.status, groupOf(created)]).toEqual([201, 'order']);
    const order = (await created.json()) as Json;
    expect(order).toMatchObject({ side: 'bid', ord_type: 'limit', price: '1000', state: 'wait', market: 'KRW-XRP', volume: '6', remaining_volume: '6', executed_volume: '0', reserved_fee: '3', locked: '6003', trades_count: 0, identifier: 'tp-1' });
    expect(order.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00$/);

    const got = (await (await upbit('GET', '/v1/order', [['uuid', String(order.uuid)]])).json()) as Json;
    expect(got).toMatchObject({ uuid: order.uuid, trades: [] });
    const cancel = await upbit('DELETE', '/v1/order', [['uuid', String(order.uuid)]]);
    expect([cancel.status, ((await cancel.json()) as Json).state]).toEqual([200, 'wait']);

    const tooBig = await upbit('POST', '/v1/orders', [['market', 'KRW-XRP'], ['side', 'bid'], ['volume', '1000000'], ['price', '1000'], ['ord_type', 'limit']]);
    const err = (await tooBig.json()) as { error: { name: unknown; message: unknown } };
    expect([tooBig.status, err.error.name, typeof err.error.message]).toEqual([400, 'insufficient_funds_bid', 'string']);
    const anonymous = await fetch(`${sim.restUrl}/v1/accounts`);
    expect([anonymous.status, ((await anonymous.json()) as { error: Json }).error.name]).toEqual([401, 'no_authorization_token']);
  });

  test('arrays as repeated key[] and an ISO time with + and : are hashed unencoded and sent encoded', async () => {
    const params: Array<[string, string]> = [['states[]', 'done'], ['states[]', 'cancel'], ['start_time', '2025-09-04T12:00:00+09:00']];
    const res = await upbit('GET', '/v1/orders/closed', params);
    expect(res.status).toBe(200);
    expect(((await res.json()) as Json[]).map((o) => o.identifier)).toEqual(['tp-1']);
  });
});

describe('bun run sim', () => {
  test('serves on a free port, prints its URLs, answers /v1/market/all and stops on SIGTERM', async () => {
    const child = Bun.spawn(['bun', 'run', 'sim', '--', '--port', '0', '--synthetic', '2', '--speed', '0', '--access-key', 'K', '--secret-key', 'S'], {
      cwd: `${import.meta.dir}/../..`, stdout: 'pipe', stderr: 'pipe',
    });
    try {
      let out = '';
      const reader = child.stdout.getReader();
      while (!/Press Ctrl\+C/.test(out)) {
        const { value, done } = await reader.read();
        if (done) break;
        out += new TextDecoder().decode(value);
      }
      reader.releaseLock();
      const rest = /REST\s+(http:\/\/127\.0\.0\.1:\d+)\/v1/.exec(out)?.[1];
      expect(out).toMatch(/WebSocket\s+ws:\/\/127\.0\.0\.1:\d+\/websocket\/v1/);
      expect(rest).toBeDefined();
      const markets = (await (await fetch(`${rest}/v1/market/all`)).json()) as Json[];
      expect(markets.map((m) => m.market)).toEqual(['KRW-BTC', 'KRW-ETH', 'KRW-XRP', 'KRW-SOL', 'KRW-DOGE', 'KRW-SYN001', 'KRW-SYN002']);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await child.exited).toBe(0);
  });
});
