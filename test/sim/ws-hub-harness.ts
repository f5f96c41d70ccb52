// Test harness for the simulator WebSocket hub: a Bun.serve that upgrades to the hub, and a raw recording client.
import { createSimClock, type SimClock } from '../../src/sim/clock.ts';
import { createSimWsHub, type SimWsHubOptions } from '../../src/sim/ws-hub.ts';
import type { MarketModel, SimWsData } from '../../src/sim/types.ts';

export const T0 = Date.UTC(2025, 8, 4, 3, 0, 10);

export type RawClient = {
  ws: WebSocket;
  /** Parsed JSON of every frame, in order. */
  messages: Record<string, unknown>[];
  /** Whether each frame arrived as binary. */
  binary: boolean[];
  closed: { code: number; reason: string } | null;
  send(data: unknown): void;
  waitFor(check: (c: RawClient) => boolean, what: string): Promise<void>;
};

export async function startHub(model: MarketModel, extra: Partial<SimWsHubOptions> = {}) {
  const clock: SimClock = createSimClock({ startAt: T0, speed: 0 });
  const hub = createSimWsHub({ model, clock, ...extra });
  let nextId = 1;
  const server = Bun.serve<SimWsData>({
    port: 0,
    hostname: '127.0.0.1',
    fetch(req, srv) {
      const path = new URL(req.url).pathname;
      const isPrivate = path === '/websocket/v1/private';
      // The real server verifies the JWT; here the test passes the access key as the whole header.
      const data: SimWsData = { id: nextId++, isPrivate, accessKey: isPrivate ? req.headers.get('authorization') : null };
      if (srv.upgrade(req, { data })) return undefined;
      return new Response('upgrade required', { status: 426 });
    },
    websocket: hub.handler,
  });
  const base = `ws://127.0.0.1:${server.port}`;
  const clients: RawClient[] = [];
  async function connect(path = '/websocket/v1', accessKey?: string): Promise<RawClient> {
    const ws = new WebSocket(`${base}${path}`, accessKey ? ({ headers: { Authorization: accessKey } } as never) : undefined);
    ws.binaryType = 'arraybuffer';
    const client: RawClient = {
      ws, messages: [], binary: [], closed: null,
      send: (data) => ws.send(typeof data === 'string' ? data : JSON.stringify(data)),
      waitFor: (check, what) => waitUntil(() => check(client), what),
    };
    ws.onmessage = (ev) => {
      const isBinary = typeof ev.data !== 'string';
      client.binary.push(isBinary);
      client.messages.push(JSON.parse(isBinary ? new TextDecoder().decode(ev.data as ArrayBuffer) : (ev.data as string)));
    };
    ws.onclose = (ev) => {
      client.closed = { code: ev.code, reason: ev.reason };
    };
    await new Promise<void>((resolve, reject) => {
      ws.onopen = () => resolve();
      ws.onerror = () => reject(new Error('connect failed'));
    });
    clients.push(client);
    return client;
  }
  return {
    hub, clock, server, connect, model,
    stop() {
      for (const c of clients) c.ws.close();
      server.stop(true);
    },
  };
}

export async function waitUntil(check: () => boolean, what: string, timeoutMs = 3_000): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await Bun.sleep(2);
  }
}

export const ofType = (c: RawClient, type: string) => c.messages.filter((m) => m.type === type || m.ty === type);
