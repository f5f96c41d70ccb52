// A handshake that never completes (the TCP connection is accepted, no upgrade answer comes) ends and is retried.
import { afterEach, expect, test } from 'bun:test';
import type { TCPSocketListener } from 'bun';
import { createUpbitStream, type UpbitStream } from '../../../src/exchange/upbit/websocket.ts';
import { recorder, waitFor } from './ws-stub-server.ts';

let listener: TCPSocketListener | null = null;
let stream: UpbitStream | null = null;
afterEach(async () => {
  await stream?.stop();
  listener?.stop(true);
  stream = listener = null;
});

test('a handshake left unanswered counts as a dead socket: the attempt ends and a new connection is made', async () => {
  let connections = 0;
  // Accepts TCP and reads the upgrade request, but never answers it: the socket stays CONNECTING.
  listener = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { open: () => void connections++, data: () => undefined } });
  const { seen, handlers } = recorder();
  stream = createUpbitStream({
    url: `ws://127.0.0.1:${listener.port}/websocket/v1`, handlers, subscriptions: { tickers: ['KRW-BTC'] },
    random: () => 0, deadAfterMs: 60, watchdogMs: 5, pingIntervalMs: 20,
  });
  stream.start();
  await waitFor(() => connections >= 2, 'a second connection attempt');
  const closed = seen.states.find((s) => s.status === 'closed');
  expect(closed?.reason).toBe('no answer to the handshake for 60 ms');
  expect(closed?.attempt).toBe(1);
  expect(stream.state().connects).toBe(0);
});
