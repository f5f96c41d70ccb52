import { describe, expect, test } from 'bun:test';
import { InvalidOrder, MinimumTotal } from '../../../src/exchange/errors.ts';
import type { PlaceOrderRequest } from '../../../src/exchange/exchange.ts';
import { toOrderBody } from '../../../src/exchange/upbit/order-request.ts';

const req = (over: Partial<PlaceOrderRequest>): PlaceOrderRequest => ({ market: 'KRW-BTC', side: 'buy', kind: 'market', identifier: 'cb-1', ...over });

describe('toOrderBody', () => {
  test('a market buy is ord_type price with the KRW amount (whole KRW, floored) and no volume', () => {
    expect(toOrderBody(req({ amountKrw: 100_000.9 }))).toEqual({ market: 'KRW-BTC', side: 'bid', ord_type: 'price', price: '100000', identifier: 'cb-1' });
  });

  test('a market sell is ord_type market with the volume floored to 8 decimals and no price', () => {
    expect(toOrderBody(req({ side: 'sell', volume: 0.123456789 }))).toEqual({
      market: 'KRW-BTC', side: 'ask', ord_type: 'market', volume: '0.12345678', identifier: 'cb-1',
    });
  });

  test('limit prices land on the tick grid: buys round down, sells round up', () => {
    const buy = toOrderBody(req({ kind: 'limit', price: 148_520_700, volume: 0.001 }));
    const sell = toOrderBody(req({ kind: 'limit', side: 'sell', price: 148_520_100, volume: 0.001, timeInForce: 'post_only' }));
    expect(buy).toEqual({ market: 'KRW-BTC', side: 'bid', ord_type: 'limit', volume: '0.001', price: '148520000', identifier: 'cb-1' });
    expect(sell).toMatchObject({ price: '148521000', time_in_force: 'post_only' });
    expect(toOrderBody(req({ market: 'KRW-XRP', kind: 'limit', price: 3752.6, volume: 10 })).price).toBe('3752');
    expect(toOrderBody(req({ market: 'KRW-DOGE', kind: 'limit', side: 'sell', price: 99.123, volume: 100 })).price).toBe('99.2');
  });

  test('a live tick size overrides the KRW table', () => {
    expect(toOrderBody(req({ market: 'KRW-USDT', kind: 'limit', price: 1391.7, volume: 10 }), () => 0.5).price).toBe('1391.5');
  });

  test('best orders need ioc or fok; buys spend KRW, sells give volume', () => {
    expect(toOrderBody(req({ kind: 'best', amountKrw: 10_000, timeInForce: 'ioc' }))).toEqual({
      market: 'KRW-BTC', side: 'bid', ord_type: 'best', price: '10000', time_in_force: 'ioc', identifier: 'cb-1',
    });
    expect(toOrderBody(req({ kind: 'best', side: 'sell', volume: 1, timeInForce: 'fok' }))).toMatchObject({ ord_type: 'best', volume: '1' });
    expect(() => toOrderBody(req({ kind: 'best', amountKrw: 10_000 }))).toThrow(InvalidOrder);
  });

  test('invalid requests are refused before anything is sent', () => {
    const cases: Array<Partial<PlaceOrderRequest>> = [
      { identifier: 'has space', amountKrw: 10_000 },
      { identifier: 'x'.repeat(65), amountKrw: 10_000 },
      { identifier: '', amountKrw: 10_000 },
      { amountKrw: 10_000, timeInForce: 'ioc' },
      { amountKrw: Number.NaN },
      { side: 'sell', volume: 0.000000001 },
      { kind: 'limit', price: 100_000 },
    ];
    for (const c of cases) expect(() => toOrderBody(req(c))).toThrow(InvalidOrder);
    expect(toOrderBody(req({ identifier: 'A-z_0.9~x'.padEnd(64, 'y'), amountKrw: 5_000 })).identifier).toHaveLength(64);
  });

  test('orders under 5,000 KRW are refused as MinimumTotal', () => {
    expect(() => toOrderBody(req({ amountKrw: 4_999 }))).toThrow(MinimumTotal);
    expect(() => toOrderBody(req({ kind: 'limit', price: 100_000, volume: 0.04 }))).toThrow(MinimumTotal);
  });
});
