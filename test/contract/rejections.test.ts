// Contract: failures the simulator answers map to the right error classes and Upbit codes — auth failures
// (wrong secret, tampered query, reused nonce) and order rejections (funds, minimum, tick grid, identifier, not found).
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { AuthFailed, DuplicateIdentifier, InsufficientFunds, InvalidOrder, MinimumTotal, OrderNotFound, type ExchangeError } from '../../src/exchange/errors.ts';
import type { PlaceOrderRequest } from '../../src/exchange/exchange.ts';
import { createUpbitAuth } from '../../src/exchange/upbit/auth.ts';
import { createCircuitBreaker } from '../../src/exchange/upbit/circuit-breaker.ts';
import { createRateLimiter } from '../../src/exchange/upbit/rate-limiter.ts';
import { createUpbitRestClient } from '../../src/exchange/upbit/rest-client.ts';
import { createUpbitExchange } from '../../src/exchange/upbit/upbit-exchange.ts';
import { ACCESS, SECRET, rejectionOf, startContractSim, type ContractSim } from './contract-harness.ts';

let c: ContractSim;
beforeAll(async () => {
  c = await startContractSim({ sim: { krw: 100_000 } });
});
afterAll(() => c.stop());

/** A client built piece by piece, so a test can swap one part (nonce source, fetch, tick sizes). */
function customExchange(o: { nonce?: () => string; fetch?: (input: string, init: RequestInit) => Promise<Response>; tickSize?: () => number }) {
  const now = c.vt.now;
  const client = createUpbitRestClient({
    baseUrl: c.sim.restUrl,
    auth: createUpbitAuth({ accessKey: ACCESS, secretKey: SECRET, ...(o.nonce ? { nonce: o.nonce } : {}) }),
    fetch: o.fetch ?? c.fetch,
    clock: { now },
    sleep: c.vt.sleep,
    random: () => 1,
    timeoutMs: 5_000,
    retries: 2,
    limiter: createRateLimiter({ now, sleep: c.vt.sleep, random: () => 1 }),
    breaker: createCircuitBreaker({ now }),
  });
  return createUpbitExchange({ client, ...(o.tickSize ? { tickSize: o.tickSize } : {}) });
}

const failure = async (p: Promise<unknown>) => (await rejectionOf(p)) as ExchangeError;
const bestBid = (market: string) => c.sim.model.orderbook(market, c.sim.clock.now(), 1)[0]!.bidPrice;
const buy = (identifier: string, extra: Partial<PlaceOrderRequest> = {}): PlaceOrderRequest => ({
  market: 'KRW-XRP', side: 'buy', kind: 'limit', price: Math.floor(bestBid('KRW-XRP') * 0.9), volume: 2, identifier, ...extra,
});

describe('auth failures', () => {
  test('a wrong secret is AuthFailed jwt_verification, and is not retried', async () => {
    const wrong = c.makeStack({ secretKey: 'not-the-secret' });
    const err = await failure(wrong.exchange.fetchBalances());
    expect(err).toBeInstanceOf(AuthFailed);
    expect([err.status, err.code]).toEqual([401, 'jwt_verification']);
    expect(wrong.exchange.stats().default.requests).toBe(1);
  });

  test('a query changed after signing is AuthFailed invalid_query_payload', async () => {
    // A man in the middle: the JWT hashes market=KRW-BTC, the wire asks for KRW-ETH.
    const tamper = (input: string, init: RequestInit) => c.fetch(input.replace('market=KRW-BTC', 'market=KRW-ETH'), init);
    const err = await failure(customExchange({ fetch: tamper }).fetchOrderChance('KRW-BTC'));
    expect(err).toBeInstanceOf(AuthFailed);
    expect([err.status, err.code]).toEqual([401, 'invalid_query_payload']);
    expect((await c.stack.exchange.fetchOrderChance('KRW-BTC')).market).toBe('KRW-BTC'); // untampered, the same call passes
  });

  test('a reused nonce is AuthFailed nonce_used', async () => {
    const fixed = customExchange({ nonce: () => 'the-same-nonce' });
    expect((await fixed.fetchBalances())[0]?.currency).toBe('KRW');
    const err = await failure(fixed.fetchBalances());
    expect(err).toBeInstanceOf(AuthFailed);
    expect([err.status, err.code]).toEqual([401, 'nonce_used']);
  });
});

describe('order rejections', () => {
  test('a buy beyond the free KRW is InsufficientFunds insufficient_funds_bid', async () => {
    const err = await failure(c.stack.exchange.placeOrder(buy('rej-funds', { volume: 100 })));
    expect(err).toBeInstanceOf(InsufficientFunds);
    expect(err.code).toBe('insufficient_funds_bid');
  });

  test('a market sell worth under 5,000 KRW is MinimumTotal under_min_total_ask from the exchange', async () => {
    const err = await failure(c.stack.exchange.placeOrder({ market: 'KRW-XRP', side: 'sell', kind: 'market', volume: 1, identifier: 'rej-min' }));
    expect(err).toBeInstanceOf(MinimumTotal);
    expect([err.status, err.code]).toEqual([400, 'under_min_total_ask']);
  });

  test('a price off the tick grid (stale tick size) is InvalidOrder invalid_price_bid', async () => {
    const price = Math.floor(bestBid('KRW-BTC') * 0.9 / 1000) * 1000 + 1; // BTC ticks are 1,000 KRW
    const stale = customExchange({ tickSize: () => 1 });
    const err = await failure(stale.placeOrder({ market: 'KRW-BTC', side: 'buy', kind: 'limit', price, volume: 0.0001, identifier: 'rej-tick' }));
    expect(err).toBeInstanceOf(InvalidOrder);
    expect([err.status, err.code]).toEqual([400, 'invalid_price_bid']);
  });

  test('reusing an identifier is DuplicateIdentifier, even after the first order is cancelled', async () => {
    const first = await c.stack.exchange.placeOrder(buy('dup-1'));
    expect(first.status).toBe('accepted');
    await c.stack.exchange.cancelOrder({ identifier: 'dup-1' });
    const err = await failure(c.stack.exchange.placeOrder(buy('dup-1')));
    expect(err).toBeInstanceOf(DuplicateIdentifier);
    expect(err.code).toBe('duplicated_identifier');
    expect((await c.state()).orders.filter((o) => o.identifier === 'dup-1')).toHaveLength(1);
  });

  test('an identifier the exchange never saw is OrderNotFound, and findOrderByIdentifier says null', async () => {
    const err = await failure(c.stack.exchange.fetchOrder({ identifier: 'never-placed' }));
    expect(err).toBeInstanceOf(OrderNotFound);
    expect([err.status, err.code]).toEqual([404, 'order_not_found']);
    expect(await c.stack.exchange.findOrderByIdentifier('never-placed')).toBeNull();
  });
});
