// The MarketStream port on Upbit's public WebSocket: ticker + candle.5m for every market on one connection.
import type { MarketStream, MarketStreamHandlers, MarketStreamState, MarketSubscription } from '../market-stream.ts';
import { createUpbitStream, StreamRejected, type StreamState, type UpbitStream, type UpbitStreamOptions } from './websocket.ts';

export type UpbitMarketStreamOptions = Omit<UpbitStreamOptions, 'handlers' | 'subscriptions' | 'authorize'>;

/** Maps the client's connection state to the port's words. */
export function toMarketStreamState(s: StreamState, lastRefusal: string | null = null): MarketStreamState {
  const isUp = s.status === 'open';
  const state: MarketStreamState = { isUp, lastMessageAt: s.lastMessageAt, connects: s.connects, detail: isUp ? null : (s.reason ?? s.status) };
  if (lastRefusal !== null) state.lastRefusal = lastRefusal;
  return state;
}

export function createUpbitMarketStream(opts: UpbitMarketStreamOptions): MarketStream {
  let stream: UpbitStream | null = null;
  let pending: MarketSubscription = { prices: [], candles5m: [] };
  const toSubs = (s: MarketSubscription) => ({ tickers: s.prices, candles: [{ unit: 5 as const, markets: s.candles5m }] });
  // A refused subscription (error frame) is kept for the feed health until data flows again.
  let refusal: string | null = null;

  return {
    start(handlers: MarketStreamHandlers) {
      if (stream) return;
      const flowing = () => {
        if (refusal === null || !stream) return;
        refusal = null;
        handlers.onState(toMarketStreamState(stream.state()));
      };
      stream = createUpbitStream({
        ...opts,
        subscriptions: toSubs(pending),
        handlers: {
          onTicker: (ticker) => {
            flowing();
            handlers.onTicker(ticker);
          },
          onCandle: (unit, candle, isSnapshot) => {
            flowing();
            if (unit === 5) handlers.onCandle5m(candle, isSnapshot);
          },
          onState: (s) => handlers.onState(toMarketStreamState(s, refusal)),
          onError: (err) => {
            if (!(err instanceof StreamRejected) || !stream) return;
            refusal = err.message;
            handlers.onState(toMarketStreamState(stream.state(), refusal));
          },
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
      stream ? toMarketStreamState(stream.state(), refusal) : { isUp: false, lastMessageAt: null, connects: 0, detail: 'not started' },
  };
}
