// The Upbit stream client against a local WebSocket stub: subscribe frame, frame decoding, errors, private header.
import { afterEach, describe, expect, test } from 'bun:test';
import { createUpbitStream, StreamRejected, type MarketTrade, type UpbitStream } from '../../../src/exchange/upbit/websocket.ts';
import ticker from '../../fixtures/upbit/ws-ticker.json';
import trade from '../../fixtures/upbit/ws-trade.json';
import candle from '../../fixtures/upbit/ws-candle.json';
import myOrder from '../../fixtures/upbit/ws-my-order.json';
import { recorder, startStubServer, waitFor, type StubServer } from './ws-stub-server.ts';

const MARKETS = Array.from({ length: 130 }, (_, i) => `KRW-C${String(i).padStart(3, '0')}`);

let server: StubServer | null = null;
let stream: UpbitStream | null = null;
afterEach(async () => {
  await stream?.stop();
  server?.stop();
  stream = server = null;
});

describe('createUpbitStream', () => {
  test('sends one request frame with ticker, trade and candle types for 130 markets and no Origin header', async () => {
    server = startStubServer();
    const { handlers } = recorder();
    stream = createUpbitStream({
      url: server.url, handlers, ticket: 't-1',
      subscriptions: { tickers: MARKETS, trades: MARKETS, candles: [{ unit: 1, markets: MARKETS }, { unit: 5, markets: ['krw-btc'] }] },
    });
    stream.start();
    await waitFor(() => server!.received.length > 0, 'the subscribe frame');
    expect(JSON.parse(server.received[0]!)).toEqual([
      { ticket: 't-1' },
      { type: 'ticker', codes: MARKETS },
      { type: 'trade', codes: MARKETS },
      { type: 'candle.1m', codes: MARKETS },
      { type: 'candle.5m', codes: ['KRW-BTC'] },
      { format: 'SIMPLE' },
    ]);
    expect(server.handshakes[0]!.get('origin')).toBeNull();
    expect(stream.state()).toMatchObject({ status: 'open', connects: 1 });
  });

  test('parses binary and text frames in SIMPLE and DEFAULT formats into domain events', async () => {
    server = startStubServer();
    const { seen, handlers } = recorder();
    stream = createUpbitStream({ url: server.url, handlers, subscriptions: { tickers: ['KRW-BTC'] } });
    stream.start();
    await waitFor(() => server!.sockets.size === 1, 'the connection');
    server.sendAll(Buffer.from(JSON.stringify(ticker.simple)));
    server.sendAll(JSON.stringify(ticker.response));
    server.sendAll(new TextEncoder().encode(JSON.stringify(trade.simple)));
    server.sendAll(JSON.stringify(candle.response));
    await waitFor(() => seen.candles.length === 1, 'the candle');
    expect(seen.tickers).toEqual([ticker.expectedSimple, ticker.expected]);
    expect(seen.trades).toEqual([trade.expectedSimple as MarketTrade]);
    expect(seen.candles).toEqual([{ ...candle.expected } as never]);
    expect(seen.errors).toEqual([]);
    expect(stream.state().lastMessageAt).not.toBeNull();
  });

  test('surfaces garbage as an error without dropping the connection', async () => {
    server = startStubServer();
    const { seen, handlers } = recorder();
    stream = createUpbitStream({ url: server.url, handlers, subscriptions: { tickers: ['KRW-BTC'] } });
    stream.start();
    await waitFor(() => server!.sockets.size === 1, 'the connection');
    server.sendAll('not json');
    server.sendAll(JSON.stringify(ticker.response));
    await waitFor(() => seen.tickers.length === 1, 'the ticker after the garbage');
    expect(seen.errors[0]!.name).toBe('StreamMessageInvalid');
    expect(stream.state().connects).toBe(1);
  });

  test('surfaces an error frame as StreamRejected with its code (websocket-rejected.test.ts: then it reconnects)', async () => {
    server = startStubServer();
    const { seen, handlers } = recorder();
    stream = createUpbitStream({ url: server.url, handlers, subscriptions: { tickers: ['KRW-BTC'] } });
    stream.start();
    await waitFor(() => server!.sockets.size === 1, 'the connection');
    server.sendAll(Buffer.from('{"error":{"name":"WRONG_FORMAT","message":"bad request"}}'));
    await waitFor(() => seen.errors.length === 1, 'the error');
    expect(seen.errors[0]).toBeInstanceOf(StreamRejected);
    expect((seen.errors[0] as StreamRejected).code).toBe('WRONG_FORMAT');
  });

  test('sends a text PING on the keep-alive cadence and counts {"status":"UP"} as traffic', async () => {
    server = startStubServer();
    const { seen, handlers } = recorder();
    stream = createUpbitStream({ url: server.url, handlers, subscriptions: { tickers: ['KRW-BTC'] }, pingIntervalMs: 20, watchdogMs: 5 });
    stream.start();
    await waitFor(() => server!.received.filter((m) => m === 'PING').length >= 2, 'two PINGs');
    expect(seen.errors).toEqual([]);
    expect(stream.state().status).toBe('open');
    expect(stream.state().lastMessageAt).not.toBeNull();
  });

  test('private stream sends the Authorization header from authorize() and subscribes to myOrder and myAsset', async () => {
    server = startStubServer();
    const { seen, handlers } = recorder();
    let calls = 0;
    stream = createUpbitStream({
      url: server.url.replace('/v1', '/v1/private'), handlers, format: 'DEFAULT', ticket: 'p',
      subscriptions: { orders: [], balances: true },
      authorize: async () => `Bearer token-${++calls}`,
    });
    stream.start();
    await waitFor(() => server!.received.length > 0, 'the subscribe frame');
    expect(server.handshakes[0]!.get('authorization')).toBe('Bearer token-1');
    expect(JSON.parse(server.received[0]!)).toEqual([{ ticket: 'p' }, { type: 'myOrder' }, { type: 'myAsset' }, { format: 'DEFAULT' }]);
    server.sendAll(Buffer.from(JSON.stringify(myOrder.response)));
    server.sendAll(Buffer.from(JSON.stringify(myOrder.simple)));
    await waitFor(() => seen.balances.length === 1, 'the balance event');
    expect(seen.orders).toHaveLength(1);
    expect(seen.orders[0]).toMatchObject({ fill: myOrder.expected.fill, order: { id: myOrder.expected.order.id, state: 'open' } });
  });
});
