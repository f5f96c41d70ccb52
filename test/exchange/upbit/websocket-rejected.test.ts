// A refused subscription request must not leave an open socket that carries nothing: the stream reconnects and resubscribes.
import { afterEach, expect, test } from 'bun:test';
import type { MarketStream, MarketStreamState } from '../../../src/exchange/market-stream.ts';
import { createUpbitMarketStream } from '../../../src/exchange/upbit/upbit-market-stream.ts';
import { createUpbitStream, StreamRejected, type UpbitStream } from '../../../src/exchange/upbit/websocket.ts';
import ticker from '../../fixtures/upbit/ws-ticker.json';
import { recorder, startStubServer, waitFor, type StubServer } from './ws-stub-server.ts';

const quickSleep = (_ms: number) => Bun.sleep(1);
let server: StubServer | null = null;
let stream: UpbitStream | null = null;
let market: MarketStream | null = null;
afterEach(async () => {
  await stream?.stop();
  await market?.stop();
  market = null;
  server?.stop();
  stream = server = null;
});

test('a subscription answered with an error frame ends the connection; the next one subscribes again and gets data', async () => {
  let subscribes = 0;
  // Heartbeats keep answering (the socket looks alive), but the first subscription is refused: nothing would ever stream.
  server = startStubServer({
    onMessage(ws, text) {
      if (!text.startsWith('[')) return;
      subscribes += 1;
      ws.send(subscribes === 1 ? '{"error":{"name":"Too Many Requests","message":"too many requests"}}' : JSON.stringify(ticker.response));
    },
  });
  const { seen, handlers } = recorder();
  stream = createUpbitStream({ url: server.url, handlers, subscriptions: { tickers: ['KRW-BTC'] }, sleep: quickSleep, random: () => 0.5 });
  stream.start();
  await waitFor(() => seen.tickers.length === 1, 'a ticker on the second connection');
  expect(seen.errors[0]).toBeInstanceOf(StreamRejected);
  const closed = seen.states.find((s) => s.status === 'closed')!;
  expect(closed.reason).toBe('subscription refused: Too Many Requests');
  // A refusal is not a working connection: the backoff grows (attempt 1 → 0.5 × 2000 ms) instead of restarting at once.
  expect(closed).toMatchObject({ attempt: 1, retryInMs: 1_000 });
  expect(stream.state().connects).toBe(2);
  expect(subscribes).toBe(2);
});

test('the market stream passes a refusal on in its state (with the server message) until data flows again', async () => {
  let subscribes = 0;
  server = startStubServer({
    onMessage(ws, text) {
      if (!text.startsWith('[')) return;
      subscribes += 1;
      ws.send(subscribes === 1 ? '{"error":{"name":"WRONG_FORMAT","message":"bad codes"}}' : JSON.stringify(ticker.response));
    },
  });
  const states: MarketStreamState[] = [];
  let tickers = 0;
  market = createUpbitMarketStream({ url: server.url, sleep: quickSleep, random: () => 0.5 });
  market.subscribe({ prices: ['KRW-BTC'], candles5m: [] });
  market.start({ onTicker: () => void (tickers += 1), onCandle5m: () => {}, onState: (st) => void states.push(st) });
  await waitFor(() => tickers === 1, 'a ticker on the second connection');
  expect(states.some((st) => st.lastRefusal?.includes('WRONG_FORMAT (bad codes)'))).toBe(true);
  expect(market.state().lastRefusal ?? null).toBeNull();
});
