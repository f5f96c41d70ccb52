import { afterEach, describe, expect, test } from 'bun:test';
import { AuthFailed, RateLimited } from '../../../src/exchange/errors.ts';
import { createUpbitStack } from '../../../src/exchange/upbit/upbit-stack.ts';
import { json, startStub } from './rest-stub.ts';

const stops: Array<() => void> = [];
afterEach(() => {
  while (stops.length) stops.pop()!();
});

describe('createUpbitStack', () => {
  test('without keys quotation works and private calls fail as AuthFailed before sending', async () => {
    const s = startStub(() => json([{ market: 'KRW-BTC', korean_name: '비트코인', english_name: 'Bitcoin' }]));
    stops.push(s.stop);
    const { exchange, auth } = createUpbitStack({ baseUrl: s.url, timeoutMs: 1000 });
    expect(auth).toBeNull();
    expect(await exchange.listMarkets()).toEqual([{ market: 'KRW-BTC', koreanName: '비트코인', englishName: 'Bitcoin', isWarning: false, cautions: [] }]);
    await expect(exchange.fetchBalances()).rejects.toBeInstanceOf(AuthFailed);
    expect(s.requests).toHaveLength(1);
  });

  test('with keys private calls carry a JWT signed with the chosen algorithm', async () => {
    const s = startStub(() => json([]));
    stops.push(s.stop);
    const { exchange, auth } = createUpbitStack({ baseUrl: `${s.url}/`, timeoutMs: 1000, accessKey: 'ak', secretKey: 'sk', alg: 'HS256' });
    expect(auth?.alg).toBe('HS256');
    expect(await exchange.fetchBalances()).toEqual([]);
    expect(s.requests[0]!.path).toBe('/v1/accounts');
    expect(s.requests[0]!.headers.get('authorization')).toStartWith('Bearer ey');
  });

  test('blockScope and blockFallbackMs reach the client: a 418 without a length blocks only its group for the fallback', async () => {
    let now = 1_000_000;
    const s = startStub((r) => (r.path === '/v1/ticker' ? json({ error: { message: 'teapot' } }, 418) : json([])));
    stops.push(s.stop);
    const { client } = createUpbitStack({ baseUrl: s.url, timeoutMs: 1000, clock: { now: () => now }, blockScope: 'group', blockFallbackMs: 7_000 });
    const err = await client.request('GET', '/v1/ticker', { query: { markets: 'KRW-BTC' } }).catch((e: unknown) => e);
    expect((err as RateLimited).retryAfterMs).toBe(7_000);
    expect(await client.request('GET', '/v1/market/all')).toEqual([]);
    now += 6_999;
    await expect(client.request('GET', '/v1/ticker', { query: { markets: 'KRW-BTC' } })).rejects.toBeInstanceOf(RateLimited);
    expect(s.requests.map((r) => r.path)).toEqual(['/v1/ticker', '/v1/market/all']);
  });
});
