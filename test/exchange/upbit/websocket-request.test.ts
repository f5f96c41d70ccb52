// Request frames, the per-connection message limiter and backoff: pure functions.
import { describe, expect, test } from 'bun:test';
import { backoffDelayMs, buildRequestFrame, createMessageLimiter } from '../../../src/exchange/upbit/websocket-request.ts';

describe('buildRequestFrame', () => {
  test('upper-cases and de-duplicates codes and never gives myAsset codes', () => {
    const frame = buildRequestFrame({ tickers: ['krw-btc', 'KRW-BTC'], orders: ['KRW-ETH'], balances: true, candles: [{ unit: 'second', markets: ['KRW-XRP'] }] }, 'x', 'DEFAULT');
    expect(JSON.parse(frame!)).toEqual([
      { ticket: 'x' }, { type: 'ticker', codes: ['KRW-BTC'] }, { type: 'candle.1s', codes: ['KRW-XRP'] },
      { type: 'myOrder', codes: ['KRW-ETH'] }, { type: 'myAsset' }, { format: 'DEFAULT' },
    ]);
  });

  test('returns null when nothing is subscribed', () => {
    expect(buildRequestFrame({ tickers: [], candles: [{ unit: 1, markets: [] }] }, 'x', 'SIMPLE')).toBeNull();
  });
});

describe('createMessageLimiter', () => {
  test('allows 5 messages per second, then asks to wait until the oldest leaves the window', () => {
    const limiter = createMessageLimiter();
    for (let i = 0; i < 5; i++) {
      expect(limiter.waitMs(1_000 + i * 100)).toBe(0);
      limiter.record(1_000 + i * 100);
    }
    expect(limiter.waitMs(1_450)).toBe(550);
    expect(limiter.waitMs(2_000)).toBe(0);
  });

  test('allows 100 messages per minute', () => {
    const limiter = createMessageLimiter();
    for (let i = 0; i < 100; i++) limiter.record(i * 300);
    expect(limiter.waitMs(30_000)).toBe(30_000);
    limiter.reset();
    expect(limiter.waitMs(30_000)).toBe(0);
  });
});

describe('backoffDelayMs', () => {
  test('draws uniformly below an exponentially growing ceiling capped at maxMs', () => {
    const opts = { baseMs: 1_000, maxMs: 30_000 };
    expect([0, 1, 2, 3, 10].map((a) => backoffDelayMs(a, opts, () => 0.5))).toEqual([500, 1_000, 2_000, 4_000, 15_000]);
    expect(backoffDelayMs(4, opts, () => 0)).toBe(0);
    expect(backoffDelayMs(4, opts, () => 0.999)).toBe(15_984);
  });
});
