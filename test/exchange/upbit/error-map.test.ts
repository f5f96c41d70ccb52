// Error contract: Upbit error bodies and statuses → the app's error class, family and retry hint.
import { describe, expect, test } from 'bun:test';
import {
  AuthFailed,
  DuplicateIdentifier,
  type ExchangeError,
  InsufficientFunds,
  InvalidOrder,
  IpNotAllowed,
  MarketOffline,
  MinimumTotal,
  OrderNotFound,
  OutOfScope,
  RateLimited,
  Timeout,
  Unavailable,
} from '../../../src/exchange/errors.ts';
import { MIN_BLOCK_MS, mapHttpError, mapTransportError, parseRetryAfterMs, UpbitHttpError } from '../../../src/exchange/upbit/error-map.ts';

const body = (name: string | number, message = 'msg') => JSON.stringify({ error: { name, message } });
type Row = [status: number, body: string, expected: abstract new (...a: never[]) => ExchangeError, family: string];

const CONTRACT: Row[] = [
  [400, body('create_ask_error'), InvalidOrder, 'rejected'],
  [400, body('create_bid_error'), InvalidOrder, 'rejected'],
  [400, body('insufficient_funds_ask'), InsufficientFunds, 'rejected'],
  [400, body('insufficient_funds_bid', '주문 가능한 금액(KRW)이 부족합니다.'), InsufficientFunds, 'rejected'],
  [400, body('under_min_total_ask'), MinimumTotal, 'rejected'],
  [400, body('under_min_total_bid'), MinimumTotal, 'rejected'],
  [400, body('over_krw_funds_bid'), InvalidOrder, 'rejected'],
  [400, body('invalid_price_bid'), InvalidOrder, 'rejected'],
  [400, body('invalid_price_ask'), InvalidOrder, 'rejected'],
  [400, body('invalid_time_in_force'), InvalidOrder, 'rejected'],
  [400, body('invalid_post_only'), InvalidOrder, 'rejected'],
  [400, body('duplicated_identifier'), DuplicateIdentifier, 'rejected'],
  [400, body('validation_error'), InvalidOrder, 'rejected'],
  [400, body('invalid_parameter'), InvalidOrder, 'rejected'],
  [400, body('notfoundmarket', '다음 마켓에 없는 종목입니다: KRW-BTCs'), InvalidOrder, 'rejected'],
  [400, body('withdraw_address_not_registered'), InvalidOrder, 'rejected'],
  [400, body('some_future_error'), InvalidOrder, 'rejected'],
  [401, body('invalid_query_payload', 'Failed to verify the query of Jwt.'), AuthFailed, 'fatal'],
  [401, body('jwt_verification'), AuthFailed, 'fatal'],
  [401, body('expired_access_key'), AuthFailed, 'fatal'],
  [401, body('nonce_used'), AuthFailed, 'fatal'],
  [401, body('no_authorization_ip'), IpNotAllowed, 'fatal'],
  [401, body('no_authorization_i_p'), IpNotAllowed, 'fatal'],
  [401, body('no_authorization_token'), AuthFailed, 'fatal'],
  [401, body('out_of_scope'), OutOfScope, 'fatal'],
  [403, body('out_of_scope'), OutOfScope, 'fatal'],
  [403, body('open_api_withdraw_locked'), OutOfScope, 'fatal'],
  [403, body('market_offline'), MarketOffline, 'rejected'],
  [404, body('order_not_found'), OrderNotFound, 'rejected'],
  [404, body('pocket_not_found'), InvalidOrder, 'rejected'],
  [404, body('currency_not_found'), InvalidOrder, 'rejected'],
  [400, body(400, 'Invalid parameter. Check the given value!'), InvalidOrder, 'rejected'],
  [404, body(404, 'Code not found'), InvalidOrder, 'rejected'],
  [429, 'Too many API requests.', RateLimited, 'retryable'],
  [429, '', RateLimited, 'retryable'],
  [418, JSON.stringify({ error: { message: 'Blocked for 1 seconds.' } }), RateLimited, 'retryable'],
  [500, body('internal_server_error'), Unavailable, 'retryable'],
  [502, '<html>Bad gateway</html>', Unavailable, 'retryable'],
  [503, '', Unavailable, 'retryable'],
  [408, '', Timeout, 'retryable'],
];

describe('Upbit error contract', () => {
  for (const [status, raw, Expected, family] of CONTRACT) {
    test(`${status} ${raw.slice(0, 60) || '(empty)'} → ${Expected.name}`, () => {
      const err = mapHttpError({ status, body: raw, endpoint: 'POST /v1/orders', params: 'market=KRW-BTC&side=bid' });
      expect(err).toBeInstanceOf(Expected);
      expect(err.family).toBe(family as ExchangeError['family']);
      expect(err.status).toBe(status);
      expect(err.endpoint).toBe('POST /v1/orders');
      expect(err.cause).toBeInstanceOf(UpbitHttpError);
      expect((err.cause as UpbitHttpError).status).toBe(status);
      expect(err.message).toStartWith('Could not POST /v1/orders with market=KRW-BTC&side=bid: ');
      expect(err.message).toContain(String(status));
      expect(err.message).not.toEndWith('.');
    });
  }

  test('error.name becomes the code and the server message is kept', () => {
    const err = mapHttpError({ status: 400, body: body('insufficient_funds_bid', '잔고 부족'), endpoint: 'POST /v1/orders' });
    expect(err.code).toBe('insufficient_funds_bid');
    expect(err.message).toBe('Could not POST /v1/orders: 400 insufficient_funds_bid: 잔고 부족');
  });

  test('418 carries retryAfterMs from Retry-After, else from the body, else the configured fallback', () => {
    const a = mapHttpError({ status: 418, body: '', retryAfter: '7', endpoint: 'GET /v1/ticker' }) as RateLimited;
    const b = mapHttpError({ status: 418, body: JSON.stringify({ error: { message: 'Blocked for 3 seconds.' } }), endpoint: 'GET /v1/ticker' }) as RateLimited;
    const c = mapHttpError({ status: 418, body: 'teapot', endpoint: 'GET /v1/ticker' }, { blockFallbackMs: 42_000 }) as RateLimited;
    expect([a.retryAfterMs, b.retryAfterMs, c.retryAfterMs]).toEqual([7000, 3000, 42_000]);
    expect(parseRetryAfterMs('Wed, 21 Oct 2026 07:28:10 GMT', null, Date.parse('2026-10-21T07:28:00Z'))).toBe(10_000);
  });

  test('418 never blocks for less than MIN_BLOCK_MS: Retry-After 0, a past date or "Blocked for 0 seconds" still block', () => {
    const now = Date.parse('2026-10-21T07:28:00Z');
    const blockOf = (retryAfter: string | null, message = 'teapot') =>
      (mapHttpError({ status: 418, body: JSON.stringify({ error: { message } }), retryAfter, endpoint: 'GET /v1/ticker' }, { nowMs: now, blockFallbackMs: 42_000 }) as RateLimited).retryAfterMs;
    expect(blockOf('0')).toBe(MIN_BLOCK_MS);
    expect(blockOf('0.2')).toBe(MIN_BLOCK_MS);
    expect(blockOf('Wed, 21 Oct 2026 07:27:00 GMT')).toBe(MIN_BLOCK_MS);
    expect(blockOf(null, 'Blocked for 0 seconds.')).toBe(MIN_BLOCK_MS);
    expect(MIN_BLOCK_MS).toBeGreaterThanOrEqual(1_000);
  });

  test('418 with a garbage or blank Retry-After uses the configured fallback, not a block of 0', () => {
    const now = Date.parse('2026-10-21T07:28:00Z');
    const blockOf = (retryAfter: string) =>
      (mapHttpError({ status: 418, body: 'teapot', retryAfter, endpoint: 'GET /v1/ticker' }, { nowMs: now, blockFallbackMs: 42_000 }) as RateLimited).retryAfterMs;
    // JS's Date.parse reads "-5" and "1" as dates in 2001 (long past): they must not become "blocked for 0 ms".
    for (const garbage of ['-5', '-1', 'soon', '  ', '0x10', '1e3', 'NaN']) expect([garbage, blockOf(garbage)]).toEqual([garbage, 42_000]);
  });

  test('never leaks an Authorization header or JWT echoed by the server', () => {
    const jwt = 'eyJhbGciOiJIUzUxMiJ9.eyJhY2Nlc3Nfa2V5IjoiYWsifQ.c2lnbmF0dXJl';
    const err = mapHttpError({ status: 401, body: body('jwt_verification', `bad token Bearer ${jwt}`), endpoint: 'GET /v1/accounts' });
    const everything = `${err.message} ${(err.cause as UpbitHttpError).message} ${(err.cause as UpbitHttpError).body}`;
    expect(everything).not.toContain(jwt);
    expect(everything).not.toContain('eyJhY2Nlc3Nfa2V5');
  });

  test('transport failures map to Timeout or Unavailable with the original as cause', () => {
    const dropped = new TypeError('socket closed');
    const t = mapTransportError(new DOMException('timed out', 'TimeoutError'), 'GET /v1/order', true, 'uuid=abc');
    const u = mapTransportError(dropped, 'GET /v1/order', false);
    expect(t).toBeInstanceOf(Timeout);
    expect(t.message).toBe('Could not GET /v1/order with uuid=abc: timed out: TimeoutError: timed out');
    expect(u).toBeInstanceOf(Unavailable);
    expect(u.cause).toBe(dropped);
  });
});
