// A tiny hand-written market-data source for the paper exchange tests: fixed books and settable tickers.
import type { Candle, MarketInfo, Orderbook, OrderbookLevel, Ticker } from '../../src/core/types.ts';
import type { Exchange } from '../../src/exchange/exchange.ts';

export type QuoteBook = { asks: Array<[price: number, size: number]>; bids: Array<[price: number, size: number]> };

export type FakeQuotes = Exchange & {
  books: Map<string, QuoteBook>;
  prices: Map<string, number>;
  calls: string[];
};

const levelsOf = (book: QuoteBook): OrderbookLevel[] =>
  Array.from({ length: Math.max(book.asks.length, book.bids.length) }, (_, i) => ({
    askPrice: book.asks[i]?.[0] ?? 0,
    askSize: book.asks[i]?.[1] ?? 0,
    bidPrice: book.bids[i]?.[0] ?? 0,
    bidSize: book.bids[i]?.[1] ?? 0,
  }));

const privateCall = (name: string) => async (): Promise<never> => {
  throw new Error(`The quotes source must not be asked for ${name}`);
};

export function createFakeQuotes(books: Record<string, QuoteBook>): FakeQuotes {
  const state = { books: new Map(Object.entries(books)), prices: new Map<string, number>(), calls: [] as string[] };
  const ticker = (market: string): Ticker => ({
    market, price: state.prices.get(market) ?? 0, prevClose: 0, changeRate: 0, turnover24hKrw: 0, volume24h: 0, tradeTime: 0,
  });
  return {
    ...state,
    async listMarkets(): Promise<MarketInfo[]> {
      state.calls.push('listMarkets');
      return [...state.books.keys()].map((market) => ({ market, koreanName: market, englishName: market, isWarning: false, cautions: [] }));
    },
    async fetchTickers(markets) {
      state.calls.push(`fetchTickers ${markets.join(',')}`);
      return markets.filter((m) => state.prices.has(m)).map(ticker);
    },
    async fetchCandles(): Promise<Candle[]> {
      state.calls.push('fetchCandles');
      return [];
    },
    async fetchOrderbooks(markets): Promise<Orderbook[]> {
      state.calls.push(`fetchOrderbooks ${markets.join(',')}`);
      return markets.flatMap((market) => {
        const book = state.books.get(market);
        return book ? [{ market, time: 0, levels: levelsOf(book) }] : [];
      });
    },
    fetchBalances: privateCall('fetchBalances'),
    fetchOrderChance: privateCall('fetchOrderChance'),
    placeOrder: privateCall('placeOrder'),
    fetchOrder: privateCall('fetchOrder'),
    findOrderByIdentifier: privateCall('findOrderByIdentifier'),
    cancelOrder: privateCall('cancelOrder'),
    fetchOpenOrders: privateCall('fetchOpenOrders'),
    health: () => ({ isDegraded: false, reason: null, consecutiveFailures: 0, retryAt: null }),
  };
}
