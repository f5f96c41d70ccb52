// The universe rule: KRW only, flagged/delisting/inactive markets out, ranked by 24-hour turnover, optional top N.
import { describe, expect, test } from 'bun:test';
import type { MarketInfo, Ticker } from '../../src/core/types.ts';
import { fetchUniverse, isSameSet, rankUniverse, type ListingState } from '../../src/bot/universe.ts';

const info = (market: string, o: Partial<MarketInfo> = {}): MarketInfo => ({ market, koreanName: market, englishName: market, isWarning: false, cautions: [], ...o });
const ticker = (market: string, turnover24hKrw: number, o: Partial<Ticker> = {}): Ticker => ({
  market, price: 100, prevClose: 100, changeRate: 0, turnover24hKrw, volume24h: 1, tradeTime: 0, ...o,
});
const none = new Map<string, ListingState>();

describe('rankUniverse', () => {
  const infos = [info('KRW-A'), info('KRW-B'), info('KRW-C'), info('BTC-X'), info('KRW-W', { isWarning: true }), info('KRW-K', { cautions: ['PRICE_FLUCTUATIONS'] })];
  const tickers = [ticker('KRW-A', 10), ticker('KRW-B', 30), ticker('KRW-C', 30), ticker('BTC-X', 99), ticker('KRW-W', 50), ticker('KRW-K', 40)];

  test('ranks KRW markets by turnover, ties by market code, and leaves out warning and caution markets', () => {
    const u = rankUniverse(infos, tickers, none, { maxMarkets: null });
    expect(u.markets).toEqual(['KRW-B', 'KRW-C', 'KRW-A']);
    expect(u.excluded).toEqual([
      { market: 'KRW-K', reason: 'caution: PRICE_FLUCTUATIONS' },
      { market: 'KRW-W', reason: 'investment warning' },
    ]);
  });

  test('keeps only the top maxMarkets and says how many were cut', () => {
    const u = rankUniverse(infos, tickers, none, { maxMarkets: 2 });
    expect([u.markets, u.cut]).toEqual([['KRW-B', 'KRW-C'], 1]);
  });

  test('leaves out markets with a delisting date or a state other than ACTIVE, from the socket or the ticker', () => {
    const listings = new Map<string, ListingState>([['KRW-B', { marketState: 'ACTIVE', delistingDate: '2026-12-01' }]]);
    const u = rankUniverse(infos, [...tickers.slice(0, 2), ticker('KRW-C', 30, { marketState: 'PREVIEW' })], listings, { maxMarkets: null });
    expect(u.markets).toEqual(['KRW-A']);
    expect(u.excluded.map((e) => e.reason)).toContain('delisting on 2026-12-01');
    expect(u.excluded.map((e) => e.reason)).toContain('market state PREVIEW');
  });

  test('a market without a ticker ranks last with turnover 0', () => {
    const u = rankUniverse([info('KRW-A'), info('KRW-Z')], [ticker('KRW-A', 5)], none, { maxMarkets: null });
    expect(u.markets).toEqual(['KRW-A', 'KRW-Z']);
    expect(u.turnover.get('KRW-Z')).toBe(0);
  });
});

describe('fetchUniverse', () => {
  test('asks for the market list and one ticker call with only the KRW markets', async () => {
    const asked: string[][] = [];
    const exchange = {
      listMarkets: async () => [info('KRW-A'), info('USDT-B'), info('KRW-C')],
      fetchTickers: async (markets: string[]) => (asked.push(markets), markets.map((m, i) => ticker(m, i))),
    };
    const { universe } = await fetchUniverse(exchange, none, { maxMarkets: null });
    expect(asked).toEqual([['KRW-A', 'KRW-C']]);
    expect(universe.markets).toEqual(['KRW-C', 'KRW-A']);
  });
});

test('isSameSet ignores order', () => {
  expect([isSameSet(['a', 'b'], ['b', 'a']), isSameSet(['a'], ['a', 'b']), isSameSet(['a', 'c'], ['a', 'b'])]).toEqual([true, false, false]);
});
