// The Upbit stream client survives drops and dead sockets: backoff with jitter, reconnect, resubscribe, message limit.
import { afterEach, describe, expect, test } from 'bun:test';
import { createUpbitStream, type UpbitStream } from '../../../src/exchange/upbit/websocket.ts';
import ticker from '../../fixtures/upbit/ws-ticker.json';
import { recorder, startStubServer, waitFor, type StubServer } from './ws-stub-server.ts';

const quickSleep = (_ms: number) => Bun.sleep(1);
let server: StubServer | null = null;
let stream: UpbitStream | null = null;
afterEach(async () => {
  await stream?.stop();
  server?.stop();
  stream = server = null;
});

describe('createUpbitStream reconnects', () => {
  test('after the server drops the connection it reconnects and sends the same subscription again', async () => {
    server = startStubServer();
    const { seen, handlers } = recorder();
    stream = createUpbitStream({ url: server.url, handlers, subscriptions: { tickers: ['KRW-BTC', 'KRW-ETH'] }, sleep: quickSleep, random: () => 0.5 });
    stream.start();
    await waitFor(() => server!.received.length === 1, 'the first subscribe frame');
    server.sendAll(Buffer.from(JSON.stringify(ticker.response)));
    await waitFor(() => seen.tickers.length === 1, 'a ticker');
    server.dropAll();
    await waitFor(() => server!.received.length === 2, 'the resubscribe frame');
    expect(server.received[1]).toBe(server.received[0]!);
    const closed = seen.states.find((s) => s.status === 'closed');
    // The dropped connection had delivered data, so the attempt counter restarted: delay = 0.5 × 1000 ms.
    expect(closed).toMatchObject({ attempt: 0, retryInMs: 500 });
    expect(closed!.reason).toStartWith('closed');
    expect(closed!.lastMessageAt).not.toBeNull();
    await waitFor(() => stream!.state().status === 'open', 'the second open');
    expect(stream.state().connects).toBe(2);
    expect(seen.states.map((s) => s.status)).toEqual(['connecting', 'open', 'closed', 'connecting', 'open']);
  });

  test('grows the delay exponentially while the server is unreachable, capped at maxMs', async () => {
    const gone = startStubServer();
    const url = gone.url;
    gone.stop();
    const { seen, handlers } = recorder();
    stream = createUpbitStream({ url, handlers, subscriptions: { tickers: ['KRW-BTC'] }, sleep: quickSleep, random: () => 0.5, backoff: { baseMs: 1_000, maxMs: 6_000 } });
    stream.start();
    await waitFor(() => seen.states.filter((s) => s.status === 'closed').length >= 4, 'four failed attempts');
    const delays = seen.states.filter((s) => s.status === 'closed').slice(0, 4).map((s) => s.retryInMs);
    expect(delays).toEqual([1_000, 2_000, 3_000, 3_000]);
    expect(stream.state().connects).toBe(0);
  });

  test('treats a silent socket as dead, reconnects and resubscribes', async () => {
    server = startStubServer({ answerPing: false });
    const { seen, handlers } = recorder();
    stream = createUpbitStream({
      url: server.url, handlers, subscriptions: { trades: ['KRW-XRP'] }, random: () => 0,
      pingIntervalMs: 20, deadAfterMs: 60, watchdogMs: 5,
    });
    stream.start();
    await waitFor(() => stream!.state().connects === 2, 'the reconnect');
    expect(seen.states.find((s) => s.status === 'closed')!.reason).toBe('no frame for 60 ms');
    await waitFor(() => server!.received.filter((m) => m.startsWith('[')).length === 2, 'the resubscribe frame');
  });

  test('coalesces rapid subscription changes within 5 messages per second and sends the latest set last', async () => {
    server = startStubServer();
    const { handlers } = recorder();
    // Real time: the sixth frame waits for the first to leave the 1-s window (about one second).
    stream = createUpbitStream({ url: server.url, handlers, subscriptions: { tickers: ['KRW-M0'] } });
    stream.start();
    await waitFor(() => server!.received.length === 1, 'the first frame');
    for (let i = 1; i <= 20; i++) stream.setSubscriptions({ tickers: [`KRW-M${i}`] });
    await waitFor(() => server!.received.length === 6, 'the delayed latest frame');
    await Bun.sleep(20);
    expect(server.received.map((f) => JSON.parse(f)[1].codes[0])).toEqual(['KRW-M0', 'KRW-M1', 'KRW-M2', 'KRW-M3', 'KRW-M4', 'KRW-M20']);
  });
});
