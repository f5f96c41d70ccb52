// A local Bun.serve WebSocket stub for the Upbit stream client tests: records handshakes and frames, can push and drop.
import type { ServerWebSocket } from 'bun';
import type { Candle, Ticker } from '../../../src/core/types.ts';
import type { MarketTrade, StreamState, UpbitStreamOptions } from '../../../src/exchange/upbit/websocket.ts';

export type StubServer = {
  url: string;
  /** Text of every frame the clients sent, in order. */
  received: string[];
  /** Headers of every upgrade request. */
  handshakes: Headers[];
  sockets: Set<ServerWebSocket<unknown>>;
  /** Sends to every open socket. */
  sendAll(data: string | Uint8Array): void;
  dropAll(): void;
  stop(): void;
};

export type StubOptions = {
  /** Answer text PING with {"status":"UP"} (default true). */
  answerPing?: boolean;
  onOpen?(ws: ServerWebSocket<unknown>): void;
  onMessage?(ws: ServerWebSocket<unknown>, text: string): void;
};

export function startStubServer(opts: StubOptions = {}): StubServer {
  const received: string[] = [];
  const handshakes: Headers[] = [];
  const sockets = new Set<ServerWebSocket<unknown>>();
  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    fetch(req, srv) {
      handshakes.push(req.headers);
      if (srv.upgrade(req)) return undefined;
      return new Response('upgrade required', { status: 426 });
    },
    websocket: {
      open(ws) {
        sockets.add(ws);
        opts.onOpen?.(ws);
      },
      message(ws, message) {
        const text = typeof message === 'string' ? message : new TextDecoder().decode(message);
        received.push(text);
        if (text === 'PING' && opts.answerPing !== false) ws.send('{"status":"UP"}');
        opts.onMessage?.(ws, text);
      },
      close(ws) {
        sockets.delete(ws);
      },
    },
  });
  return {
    url: `ws://127.0.0.1:${server.port}/websocket/v1`,
    received,
    handshakes,
    sockets,
    sendAll(data) {
      for (const ws of sockets) ws.send(data);
    },
    dropAll() {
      for (const ws of sockets) ws.terminate();
      sockets.clear();
    },
    stop() {
      server.stop(true);
    },
  };
}

/** Polls until `check` returns true; throws after `timeoutMs` (a wait, not a timing assertion). */
export async function waitFor(check: () => boolean, what: string, timeoutMs = 3_000): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await Bun.sleep(2);
  }
}

/** Handlers that record every event the stream emits. */
export function recorder() {
  const seen = {
    tickers: [] as Ticker[], trades: [] as MarketTrade[], candles: [] as { unit: unknown; candle: Candle; isSnapshot: boolean }[],
    orders: [] as unknown[], balances: [] as unknown[], states: [] as StreamState[], errors: [] as Error[],
  };
  const handlers: UpbitStreamOptions['handlers'] = {
    onTicker: (t) => seen.tickers.push(t),
    onTrade: (t) => seen.trades.push(t),
    onCandle: (unit, c, isSnapshot) => seen.candles.push({ unit, candle: c, isSnapshot }),
    onOrder: (order, fill) => seen.orders.push({ order, fill }),
    onBalance: (balances) => seen.balances.push(balances),
    onState: (s) => seen.states.push(s),
    onError: (e) => seen.errors.push(e),
  };
  return { seen, handlers };
}
