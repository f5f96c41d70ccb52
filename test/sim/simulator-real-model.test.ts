// The whole simulator on the real market model: clock control, orders against the recorded book, resting fills
// along the price path, faults (5xx, 429 storm, latency), and the WebSocket handshake rules.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { startSimulator, type Simulator } from '../../src/sim/server.ts';
import { createCaller, signToken, type Caller } from './sim-client.ts';

let sim: Simulator;
let call: Caller;
const sleeps: number[] = [];
beforeAll(async () => {
  sim = await startSimulator({
    accessKey: 'test-access', secretKey: 'test-secret', speed: 0, stepIntervalMs: 0, syntheticCount: 2, seed: 7,
    startAt: Date.UTC(2025, 8, 5), sleep: async (ms) => void sleeps.push(ms),
  });
  call = createCaller(sim.restUrl);
});
afterAll(() => sim.stop());

type Json = Record<string, unknown>;
const control = async (path: string, body: Json) =>
  (await (await fetch(`${sim.restUrl}/__sim/${path}`, { method: 'POST', body: JSON.stringify(body) })).json()) as Json;

describe('simulator on the real market model', () => {
  test('a market buy fills at the recorded best ask', async () => {
    const now = sim.clock.now();
    const bestAsk = sim.model.orderbook('KRW-BTC', now, 1)[0]!.askPrice;
    const order = (await (await call('POST', '/v1/orders', { body: { market: 'KRW-BTC', side: 'bid', ord_type: 'price', price: '10000', identifier: 'real-1' } })).json()) as Json;
    expect(order.state).toBe('cancel');
    const got = (await (await call('GET', '/v1/order', { query: 'identifier=real-1' })).json()) as { trades: Json[] };
    expect(got.trades[0]!.price).toBe(String(bestAsk));
  });

  test('a resting bid fills once the recorded path trades through it, as the clock is stepped', async () => {
    const t0 = sim.clock.now();
    const path = sim.model.trades('KRW-XRP', t0, t0 + 3_600_000);
    const low = Math.min(...path.map((x) => x.price));
    const limit = low + 1; // XRP ~4,000 KRW: tick 1
    const placed = (await (await call('POST', '/v1/orders', { body: { market: 'KRW-XRP', side: 'bid', ord_type: 'limit', price: String(limit), volume: '3' } })).json()) as Json;
    expect(placed.state).toBe('wait');
    const moved = await control('clock', { advanceMs: 3_600_000 });
    expect(moved.now).toBe(t0 + 3_600_000);
    const after = (await (await call('GET', '/v1/order', { query: `uuid=${placed.uuid}` })).json()) as { state: string; trades: Json[] };
    expect(after.state).toBe('done');
    expect(after.trades[0]).toMatchObject({ price: String(limit), volume: '3', trend: 'down' });
    const state = (await (await fetch(`${sim.restUrl}/__sim/state`)).json()) as { fills: Json[]; balances: Record<string, Json[]> };
    expect(state.fills.some((f) => f.orderUuid === placed.uuid && f.isMaker === true)).toBe(true);
    expect(state.balances['test-access']!.find((b) => b.currency === 'XRP')?.balance).toBe(3);
  });

  test('faults: 5xx, a 429 storm and latency, each with Remaining-Req', async () => {
    await control('faults', { errorRate5xx: 1 });
    const failed = await fetch(`${sim.restUrl}/v1/market/all`);
    expect([failed.status, failed.headers.get('remaining-req')?.startsWith('group=market;')]).toEqual([500, true]);
    await control('faults', { errorRate5xx: 0, storm429: 60 });
    const storm = await fetch(`${sim.restUrl}/v1/ticker?markets=KRW-BTC`);
    expect([storm.status, await storm.text()]).toEqual([429, 'Too many API requests.']);
    await control('faults', { storm429: 0, latencyMs: 250 });
    expect((await fetch(`${sim.restUrl}/v1/market/all`)).status).toBe(200);
    expect(sleeps).toContain(250);
    const refused = await fetch(`${sim.restUrl}/__sim/faults`, { method: 'POST', body: JSON.stringify({ errorRate5xx: 2 }) });
    expect(refused.status).toBe(400);
    await control('faults', { latencyMs: 0 });
  });

  test('the private WebSocket needs a valid JWT; dropWebSockets closes open sockets', async () => {
    const denied = await fetch(`${sim.restUrl}/websocket/v1/private`, { headers: { upgrade: 'websocket', connection: 'Upgrade', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-version': '13' } });
    expect(denied.status).toBe(401);
    const token = await signToken({ accessKey: 'test-access', secret: 'test-secret' });
    const ws = new WebSocket(`${sim.wsUrl}/private`, { headers: { authorization: `Bearer ${token}` } } as unknown as string[]);
    await new Promise<void>((resolve, reject) => {
      ws.onopen = () => resolve();
      ws.onerror = () => reject(new Error('private socket did not open'));
    });
    const closed = new Promise<number>((resolve) => (ws.onclose = (e) => resolve(e.code)));
    await control('faults', { dropWebSockets: true });
    expect(typeof (await closed)).toBe('number');
  });
});
