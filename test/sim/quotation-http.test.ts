// Quotation endpoints over HTTP: candle semantics (to exclusive, zones, count, gaps, newest first), integer error
// names, tickers, orderbook and market list.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { startTestSim, T0, type TestSim } from './sim-client.ts';

let t: TestSim;
const MIN = 60_000;
beforeAll(async () => {
  let realMs = 0;
  // Each request lands in a fresh rate-limit window: this file is about payloads, not limits.
  t = await startTestSim({ realNow: () => (realMs += 1000) });
  // T0 is 2025-09-02 03:00:00Z. Trades in the 02:57 and 02:59 minutes only (02:58 has none), one in the future.
  t.model.addTrade('KRW-XRP', T0 - 3 * MIN + 10_000, 4000, 2);
  t.model.addTrade('KRW-XRP', T0 - 3 * MIN + 20_000, 4010, 1);
  t.model.addTrade('KRW-XRP', T0 - MIN + 5_000, 3990, 3);
  t.model.addTrade('KRW-XRP', T0 + MIN, 5000, 1);
});
afterAll(() => t.sim.stop());

type Json = Record<string, unknown>;
const get = async (path: string) => {
  const r = await fetch(`${t.sim.restUrl}${path}`);
  return { status: r.status, body: (await r.json()) as Json[] & Json };
};
const times = (list: Json[]) => list.map((c) => c.candle_date_time_utc);

describe('candles', () => {
  test('only minutes with trades exist, newest first, and nothing after the simulated now', async () => {
    const { body } = await get('/v1/candles/minutes/1?market=KRW-XRP&count=5');
    expect(times(body)).toEqual(['2025-09-02T02:59:00', '2025-09-02T02:57:00']);
    expect(body[1]).toEqual({
      market: 'KRW-XRP', candle_date_time_utc: '2025-09-02T02:57:00', candle_date_time_kst: '2025-09-02T11:57:00',
      opening_price: 4000, high_price: 4010, low_price: 4000, trade_price: 4010, timestamp: T0 - 3 * MIN + 20_000,
      candle_acc_trade_price: 12_010, candle_acc_trade_volume: 3, unit: 1,
    });
  });

  test('count defaults to 1 and may not exceed 200', async () => {
    expect(times((await get('/v1/candles/minutes/1?market=KRW-XRP')).body)).toEqual(['2025-09-02T02:59:00']);
    expect(await get('/v1/candles/minutes/1?market=KRW-XRP&count=201')).toMatchObject({ status: 400, body: { error: { name: 400 } } });
  });

  test('`to` is exclusive and means UTC without a zone', async () => {
    const q = (to: string) => get(`/v1/candles/minutes/1?market=KRW-XRP&count=5&to=${encodeURIComponent(to)}`);
    expect(times((await q('2025-09-02T02:59:00')).body)).toEqual(['2025-09-02T02:57:00']);
    expect(times((await q('2025-09-02 02:59:00')).body)).toEqual(['2025-09-02T02:57:00']);
    expect(times((await q('2025-09-02T11:59:00+09:00')).body)).toEqual(['2025-09-02T02:57:00']);
    expect(times((await q('2025-09-02T02:59:01Z')).body)).toEqual(['2025-09-02T02:59:00', '2025-09-02T02:57:00']);
    expect((await q('2025-09-02T02:57:00Z')).body).toHaveLength(0);
    expect((await q('yesterday')).status).toBe(400);
  });

  test('units outside Upbit’s list and unknown markets are refused with integer error names', async () => {
    expect(await get('/v1/candles/minutes/2?market=KRW-XRP')).toMatchObject({ status: 400, body: { error: { name: 400 } } });
    expect(await get('/v1/candles/minutes/5?market=KRW-NOPE')).toEqual({ status: 404, body: { error: { name: 404, message: 'Code not found' } } } as never);
    expect(await get('/v1/candles/minutes/5')).toMatchObject({ status: 400, body: { error: { name: 400 } } });
  });

  test('5-minute, second and day candles aggregate the same trades', async () => {
    const five = (await get('/v1/candles/minutes/5?market=KRW-XRP&count=3')).body;
    expect(five.map((c) => [c.candle_date_time_utc, c.opening_price, c.trade_price, c.candle_acc_trade_volume, c.unit])).toEqual([['2025-09-02T02:55:00', 4000, 3990, 6, 5]]);
    const secs = (await get('/v1/candles/seconds?market=KRW-XRP&count=3')).body;
    expect(times(secs)).toEqual(['2025-09-02T02:59:05', '2025-09-02T02:57:20', '2025-09-02T02:57:10']);
    expect(secs[0]!.unit).toBeUndefined();
    const day = (await get('/v1/candles/days?market=KRW-XRP')).body[0]!;
    expect(day).toMatchObject({ candle_date_time_utc: '2025-09-02T00:00:00', candle_date_time_kst: '2025-09-02T09:00:00', trade_price: 3990, prev_closing_price: 4000 });
  });
});

describe('other quotation endpoints', () => {
  test('market list with details, tickers, orderbook, instruments and trades', async () => {
    const markets = (await get('/v1/market/all?is_details=true')).body;
    expect(markets[0]).toMatchObject({ market: 'KRW-BTC', market_event: { warning: false, caution: { PRICE_FLUCTUATIONS: false } } });
    expect((await get('/v1/market/all')).body[0]!.market_event).toBeUndefined();
    const [ticker] = (await get('/v1/ticker?markets=KRW-XRP')).body;
    expect(ticker).toMatchObject({ market: 'KRW-XRP', trade_price: 3990, trade_date: '20250902', trade_time: '025905', trade_time_kst: '115905' });
    expect((await get('/v1/ticker/all?quote_currencies=KRW')).body).toHaveLength(2);
    const [book] = (await get('/v1/orderbook?markets=KRW-XRP&count=5')).body;
    expect((book!.orderbook_units as Json[])[0]).toEqual({ ask_price: 3991, bid_price: 3990, ask_size: 1, bid_size: 1 });
    expect(book).toMatchObject({ total_ask_size: 5, level: 0 });
    expect((await get('/v1/orderbook/instruments?markets=KRW-BTC')).body[0]).toMatchObject({ tick_size: '1000', quote_currency: 'KRW' });
    const trades = (await get('/v1/trades/ticks?market=KRW-XRP&count=5')).body;
    expect(trades.map((x) => x.trade_price)).toEqual([3990, 4010, 4000]);
    expect(trades[0]).toMatchObject({ trade_date_utc: '2025-09-02', trade_time_utc: '02:59:05', ask_bid: 'BID' });
    const older = (await get(`/v1/trades/ticks?market=KRW-XRP&count=5&cursor=${trades[0]!.sequential_id}`)).body;
    expect(older.map((x) => x.trade_price)).toEqual([4010, 4000]);
  });
});
