// The MarketStream port on Upbit's public WebSocket: ticker + candle.5m for every market on one connection.
import type { MarketStream, MarketStreamHandlers, MarketStreamState, MarketSubscription } from '../market-stream.ts';
import { createUpbitStream, type StreamState, type UpbitStream, type UpbitStreamOptions } from './websocket.ts';

export type UpbitMarketStreamOptions = Omit<UpbitStreamOptions, 'handlers' | 'subscriptions' | 'authorize'>;

/** Maps the client's connection state to the port's words. */
export function toMarketStreamState(s: StreamState): MarketStreamState {
  const isUp = s.status === 'open';
  return { isUp, lastMessageAt: s.lastMessageAt, connects: s.connects, detail: isUp ? null : (s.reason ?? s.status) };
}

export function createUpbitMarketStream(opts: UpbitMarketStreamOptions): MarketStream {
  let stream: UpbitStream | null = null;
  let pending: MarketSubscription = { prices: [], candles5m: [] };
  const toSubs = (s: MarketSubscription) => ({ tickers: s.prices, candles: [{ unit: 5 as const, markets: s.candles5m }] });

  return {
    start(handlers: MarketStreamHandlers) {
      if (stream) return;
      stream = createUpbitStream({
        ...opts,
        subscriptions: toSubs(pending),
        handlers: {
          onTicker: (ticker) => handlers.onTicker(ticker),
          onCandle: (unit, candle, isSnapshot) => {
            if (unit === 5) handlers.onCandle5m(candle, isSnapshot);
          },
          onState: (s) => handlers.onState(toMarketStreamState(s)),
        },
      });
      stream.start();
    },
    async stop() {
      await stream?.stop();
      stream = null;
    },
    subscribe(subscription) {
      pending = { prices: [...subscription.prices], candles5m: [...subscription.candles5m] };
      stream?.setSubscriptions(toSubs(pending));
    },
    state: () =>
      stream ? toMarketStreamState(stream.state()) : { isUp: false, lastMessageAt: null, connects: 0, detail: 'not started' },
  };
}
