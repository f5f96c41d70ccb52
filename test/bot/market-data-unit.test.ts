// createMarketData with hand-written fakes: close order and exactly-once, stale-candle repair, held markets, universe changes.
import { describe, expect, test } from 'bun:test';
import type { Candle, MarketInfo, Ticker } from '../../src/core/types.ts';
import type { CandleQuery } from '../../src/exchange/exchange.ts';
import type { MarketStream, MarketStreamHandlers, MarketSubscription } from '../../src/exchange/market-stream.ts';
import { createMarketData } from '../../src/bot/market-data.ts';

const M5 = 300_000;
const T = Date.UTC(2025, 8, 3, 1, 0, 0);
const candle = (market: string, openTime: number, volume: number, close = 100): Candle => ({ market, openTime, open: 100, high: 101, low: 99, close, volume, turnoverKrw: volume * 100 });
const info = (market: string): MarketInfo => ({ market, koreanName: market, englishName: market, isWarning: false, cautions: [] });
const ticker = (market: string, price: number, tradeTime: number, turnover24hKrw = 1): Ticker => ({ market, price, prevClose: 90, changeRate: 0, turnover24hKrw, volume24h: 1, tradeTime });

function setup(markets: string[]) {
  let now = T + 60_000;
  const clock = { now: () => now };
  const rest: Record<string, Candle[]> = {};
  const calls: CandleQuery[] = [];
  let listed = markets;
  const exchange = {
    listMarkets: async () => listed.map(info),
    fetchTickers: async (ms: string[]) => ms.map((m, i) => ticker(m, 100, T, 1_000 - i)),
    fetchCandles: async (q: CandleQuery) => (calls.push(q), (rest[q.market] ?? []).filter((c) => c.openTime < q.to!).slice(-(q.count ?? 200))),
  };
  let h: MarketStreamHandlers | null = null;
  const subs: MarketSubscription[] = [];
  const stream: MarketStream = {
    start: (handlers) => void (h = handlers),
    stop: async () => {},
    subscribe: (s) => void subs.push(s),
    state: () => ({ isUp: false, lastMessageAt: null, connects: 0, detail: 'not started' }),
  };
  const closed: string[] = [];
  const history: string[] = [];
  const md = createMarketData({
    exchange, stream, clock, sleep: () => new Promise(() => {}),
    settings: { maxMarkets: null, universeRefreshMs: 0 },
    onClosedCandle: (m, c) => closed.push(`${m}@${(c.openTime - T) / M5}:${c.volume}`),
    onPrice: () => {},
    onHistory: (m, cs) => history.push(`${m}:${cs.length}`),
  });
  const up = () => h!.onState({ isUp: true, lastMessageAt: now, connects: 1, detail: null });
  return { md, rest, calls, subs, closed, history, up, h: () => h!, setNow: (t: number) => void (now = t), list: (ms: string[]) => void (listed = ms) };
}

describe('createMarketData with fakes', () => {
  test('a refused subscription shows in the feed detail even while the socket is up', async () => {
    const f = setup(['KRW-A']);
    f.md.start();
    await f.md.ready();
    f.h().onState({ isUp: true, lastMessageAt: null, connects: 3, detail: null, lastRefusal: 'WebSocket request rejected: WRONG_FORMAT (bad codes)' });
    expect(f.md.feed().detail).toContain('subscription refused: WebSocket request rejected: WRONG_FORMAT (bad codes)');
    f.up();
    expect(f.md.feed().detail).not.toContain('refused');
  });

  test('closes bucket by bucket in market code order, exactly once, from the socket', async () => {
    const f = setup(['KRW-B', 'KRW-A']);
    f.md.start();
    await f.md.ready();
    f.up();
    f.h().onCandle5m(candle('KRW-B', T, 2), true);
    f.h().onCandle5m(candle('KRW-A', T, 1), true);
    f.h().onCandle5m(candle('KRW-A', T, 3), false);
    f.setNow(T + M5 + 2_000);
    f.h().onCandle5m(candle('KRW-A', T + M5, 4), false);
    f.setNow(T + 2 * M5 + 2_000);
    const report = await f.md.closeUpTo(f.md.dueBoundary(T + 2 * M5 + 2_000));
    expect(report.ends).toEqual([T + M5, T + 2 * M5]);
    expect(f.closed).toEqual(['KRW-A@0:3', 'KRW-B@0:2', 'KRW-A@1:4']);
    expect((await f.md.closeUpTo(T + 2 * M5)).delivered).toBe(0);
    expect(f.calls.filter((q) => q.to! > T)).toEqual([]); // no REST at the close: only the history calls (to = T)
  });

  test('a socket candle contradicted by a later tick is refetched by REST', async () => {
    const f = setup(['KRW-A']);
    f.rest['KRW-A'] = [candle('KRW-A', T, 9, 104)];
    f.md.start();
    await f.md.ready();
    f.up();
    f.h().onCandle5m(candle('KRW-A', T, 5, 100), false);
    f.h().onTicker(ticker('KRW-A', 104, T + 299_000));
    f.setNow(T + M5 + 2_000);
    const report = await f.md.closeUpTo(T + M5);
    expect(report).toMatchObject({ repaired: ['KRW-A'], fromRest: 1, fromSocket: 0 });
    expect(f.closed).toEqual(['KRW-A@0:9']);
  });

  test('with the socket never up, every close comes from REST', async () => {
    const f = setup(['KRW-A', 'KRW-B']);
    f.rest['KRW-A'] = [candle('KRW-A', T - M5, 1), candle('KRW-A', T, 2)];
    f.md.start();
    await f.md.ready();
    expect(f.history).toEqual(['KRW-A:1', 'KRW-B:0']);
    f.setNow(T + M5 + 2_000);
    const report = await f.md.closeUpTo(T + M5);
    expect(report).toMatchObject({ fromRest: 1, fromSocket: 0, delivered: 1 });
    expect(f.closed).toEqual(['KRW-A@0:2']);
  });

  test('held markets stay priced; a new universe market gets history and joins the subscription', async () => {
    const f = setup(['KRW-A']);
    f.md.start();
    await f.md.ready();
    f.md.setHeldMarkets(['KRW-H']);
    expect(f.subs.at(-1)).toEqual({ prices: ['KRW-A', 'KRW-H'], candles5m: ['KRW-A'] });
    f.list(['KRW-A', 'KRW-N']);
    await f.md.refreshUniverse();
    await f.md.ready();
    expect(f.subs.at(-1)).toEqual({ prices: ['KRW-A', 'KRW-N', 'KRW-H'], candles5m: ['KRW-A', 'KRW-N'] });
    await f.md.closeUpTo(T); // nothing to close yet, but it waits for the new market's history
    expect(f.history).toEqual(['KRW-A:0', 'KRW-N:0']);
  });
});
