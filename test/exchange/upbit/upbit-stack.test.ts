import { afterEach, describe, expect, test } from 'bun:test';
import { AuthFailed } from '../../../src/exchange/errors.ts';
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
});
