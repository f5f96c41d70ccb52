// Contract: the real Upbit client against the real simulator for every Quotation endpoint it wraps
// (market/all with details, ticker, candles of every unit, orderbook, orderbook/instruments).
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { CandleUnit } from '../../src/exchange/exchange.ts';
import { existsSync } from 'node:fs';
import { DEFAULT_DATA_DIR } from '../../src/sim/market/csv-loader.ts';
import { startContractSim, type ContractSim } from './contract-harness.ts';

/** Five day candles need the full recorded month (../shared); the bundled 3-day subset cannot hold them. */
const hasFullData = existsSync(`${DEFAULT_DATA_DIR}/BTC_KRW_1m.csv`);

let c: ContractSim;
beforeAll(async () => {
  c = await startContractSim();
});
afterAll(() => c.stop());

const UNIT_SEC: Array<[CandleUnit, number]> = [
  ['second', 1], [1, 60], [3, 180], [5, 300], [10, 600], [15, 900], [30, 1_800], [60, 3_600], [240, 14_400], ['day', 86_400],
];

describe('quotation contract: client ↔ simulator', () => {
  test('listMarkets reads market_event flags: one warning and the caution names of the synthetic markets', async () => {
    const markets = await c.stack.exchange.listMarkets();
    const expected = c.sim.model.listMarkets();
    expect(markets.map((m) => m.market)).toEqual(expected.map((m) => m.market));
    expect(markets).toEqual(expected.map(({ market, koreanName, englishName, isWarning, cautions }) => ({ market, koreanName, englishName, isWarning, cautions })));
    expect(markets.filter((m) => m.isWarning)).toHaveLength(1);
    expect(markets.flatMap((m) => m.cautions).sort()).toEqual(['GLOBAL_PRICE_DIFFERENCES', 'PRICE_FLUCTUATIONS', 'TRADING_VOLUME_SOARING']);
    expect(markets.find((m) => m.market === 'KRW-BTC')).toMatchObject({ isWarning: false, cautions: [] });
  });

  test('fetchTickers gets every market in one ticker request, at the model prices', async () => {
    const all = c.sim.model.listMarkets().map((m) => m.market);
    const before = c.stack.exchange.stats().ticker.requests;
    const tickers = await c.stack.exchange.fetchTickers(all);
    expect(c.stack.exchange.stats().ticker.requests - before).toBe(1);
    expect(tickers.map((t) => t.market).sort()).toEqual([...all].sort());
    const now = c.sim.clock.now();
    for (const t of tickers) {
      const s = c.sim.model.ticker(t.market, now);
      expect([t.price, t.prevClose, t.tradeTime]).toEqual([s.price, s.prevClose, s.tradeTime]);
    }
  });

  test.skipIf(!hasFullData)('candles of every unit arrive oldest first, match the model and honour count', async () => {
    const now = Math.floor(c.sim.clock.now());
    for (const [unit, sec] of UNIT_SEC) {
      const got = await c.stack.exchange.fetchCandles({ market: 'KRW-BTC', unit, count: 5 });
      // The simulator answers newest first; the client turns it round.
      const model = c.sim.model.candles('KRW-BTC', sec, now + 1, 5, now).reverse();
      expect(got.length).toBe(5);
      expect(got.map((k) => [k.openTime, k.open, k.high, k.low, k.close])).toEqual(model.map((k) => [k.openTime, k.open, k.high, k.low, k.close]));
      expect(got.every((k, i) => k.openTime % (sec * 1000) === 0 && (i === 0 || k.openTime > got[i - 1]!.openTime))).toBe(true);
      expect(got.every((k) => k.market === 'KRW-BTC' && k.volume > 0)).toBe(true);
    }
  });

  test.skipIf(!hasFullData)('`to` is exclusive: asking up to the newest candle returns the ones before it', async () => {
    for (const unit of [1, 60, 'day'] as CandleUnit[]) {
      const latest = await c.stack.exchange.fetchCandles({ market: 'KRW-ETH', unit, count: 3 });
      const newest = latest.at(-1)!.openTime;
      const older = await c.stack.exchange.fetchCandles({ market: 'KRW-ETH', unit, count: 3, to: newest });
      expect(older.every((k) => k.openTime < newest)).toBe(true);
      expect(older.map((k) => k.openTime).slice(-2)).toEqual(latest.map((k) => k.openTime).slice(0, 2));
    }
  });

  test('fetchOrderbooks returns 30 levels per market, best first, as the model quotes them', async () => {
    const books = await c.stack.exchange.fetchOrderbooks(['KRW-BTC', 'KRW-XRP']);
    const now = c.sim.clock.now();
    expect(books.map((b) => b.market)).toEqual(['KRW-BTC', 'KRW-XRP']);
    for (const b of books) {
      expect(b.levels).toHaveLength(30);
      expect(b.levels[0]).toEqual(c.sim.model.orderbook(b.market, now, 1)[0]!);
      expect(b.levels[0]!.askPrice).toBeGreaterThan(b.levels[0]!.bidPrice);
      expect(b.levels[1]!.askPrice).toBeGreaterThan(b.levels[0]!.askPrice);
    }
  });

  test('fetchInstruments returns the KRW tick size at the current price', async () => {
    const [btc, xrp] = await c.stack.exchange.fetchInstruments(['KRW-BTC', 'KRW-XRP']);
    expect(btc).toMatchObject({ market: 'KRW-BTC', tickSize: 1000 });
    expect(xrp?.market).toBe('KRW-XRP');
    expect(xrp!.tickSize).toBe(c.sim.model.lastPrice('KRW-XRP', c.sim.clock.now()) >= 1000 ? 1 : 0.1);
  });

  test('an unknown market is a rejection, not a retryable failure', async () => {
    const err = await c.stack.exchange.fetchTickers(['KRW-NOPE']).catch((e: unknown) => e);
    expect((err as Error).name).toBe('InvalidOrder');
    expect((err as { status?: number }).status).toBe(404);
  });
});
