// Opt-in: talks to the REAL Upbit (public endpoints, plus read-only private ones when keys are set). Never orders.
// Run with: UPBIT_LIVE=1 bun test test/live   (UPBIT_ACCESS_KEY / UPBIT_SECRET_KEY for the private part)
import { describe, expect, test } from 'bun:test';
import { createUpbitStack } from '../../src/exchange/upbit/upbit-stack.ts';

const isLive = process.env.UPBIT_LIVE === '1';
const hasKeys = Boolean(process.env.UPBIT_ACCESS_KEY && process.env.UPBIT_SECRET_KEY);

describe.skipIf(!isLive)('real Upbit, read-only', () => {
  const stack = createUpbitStack({
    baseUrl: 'https://api.upbit.com',
    accessKey: process.env.UPBIT_ACCESS_KEY,
    secretKey: process.env.UPBIT_SECRET_KEY,
    timeoutMs: 10_000,
  });

  test('the KRW market list parses, with warning and caution flags', async () => {
    const markets = (await stack.exchange.listMarkets()).filter((m) => m.market.startsWith('KRW-'));
    expect(markets.length).toBeGreaterThan(50);
    expect(markets.some((m) => m.market === 'KRW-BTC')).toBe(true);
  });

  test('tickers, 5-minute candles and the order book parse for KRW-BTC', async () => {
    const [ticker] = await stack.exchange.fetchTickers(['KRW-BTC']);
    expect(ticker!.price).toBeGreaterThan(0);
    const candles = await stack.exchange.fetchCandles({ market: 'KRW-BTC', unit: 5, count: 10 });
    expect(candles.length).toBeGreaterThan(0);
    expect(candles.every((c, i) => i === 0 || c.openTime > candles[i - 1]!.openTime)).toBe(true);
    const [book] = await stack.exchange.fetchOrderbooks(['KRW-BTC']);
    expect(book!.levels[0]!.askPrice).toBeGreaterThan(book!.levels[0]!.bidPrice);
  });

  test.skipIf(!hasKeys)('balances and order chance parse with the given keys (read-only)', async () => {
    const balances = await stack.exchange.fetchBalances();
    expect(balances.some((b) => b.currency === 'KRW')).toBe(true);
    const chance = await stack.exchange.fetchOrderChance('KRW-BTC');
    expect(chance.minTotalKrw).toBe(5_000);
  });
});
