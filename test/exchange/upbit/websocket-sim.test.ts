// The real stream client against the real simulator server: many markets, a dropAll() survived, myOrder after a REST order.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { Fill, Order } from '../../../src/core/types.ts';
import { createUpbitStack } from '../../../src/exchange/upbit/upbit-stack.ts';
import { createUpbitStream, type UpbitStream } from '../../../src/exchange/upbit/websocket.ts';
import { createSimClock } from '../../../src/sim/clock.ts';
import { startSimulator, type Simulator } from '../../../src/sim/server.ts';
import { createSimWsHub } from '../../../src/sim/ws-hub.ts';
import { createHubFakeModel } from '../../sim/ws-hub-fake-model.ts';
import { recorder, waitFor } from './ws-stub-server.ts';

const MARKETS = Array.from({ length: 130 }, (_, i) => `KRW-S${String(i).padStart(3, '0')}`);
const ACCESS = 'ws-sim-access';
const SECRET = 'ws-sim-secret';
const model = createHubFakeModel(MARKETS, { tradeEveryMs: 5_000 });
// 20× speed: a trade per market every 250 ms of real time, published every 25 ms.
const clock = createSimClock({ startAt: Date.UTC(2025, 8, 4, 3, 0, 0), speed: 20 });
const hub = createSimWsHub({ model, clock });
const fast = { sleep: (ms: number, signal?: AbortSignal) => (signal?.aborted ? Promise.resolve() : Bun.sleep(Math.min(ms, 20))), backoff: { baseMs: 50, maxMs: 200 } };
let sim: Simulator;
const streams: UpbitStream[] = [];
beforeAll(async () => {
  sim = await startSimulator({ model, clock, wsHub: hub, accessKey: ACCESS, secretKey: SECRET, stepIntervalMs: 25 });
});
afterAll(async () => {
  await Promise.all(streams.map((s) => s.stop()));
  await sim.stop();
});

describe('Upbit stream client against the simulator', () => {
  test('streams tickers for 130 markets, survives dropAll() and delivers myOrder after a REST order', async () => {
    const pub = recorder();
    const publicStream = createUpbitStream({
      url: sim.wsUrl, handlers: pub.handlers, ...fast,
      subscriptions: { tickers: MARKETS, trades: MARKETS.slice(0, 3), candles: [{ unit: 1, markets: MARKETS }] },
    });
    const stack = createUpbitStack({ baseUrl: sim.restUrl, accessKey: ACCESS, secretKey: SECRET, timeoutMs: 3_000 });
    const priv = recorder();
    const orders: { order: Order; fill: Fill | null }[] = [];
    const privateStream = createUpbitStream({
      url: `${sim.wsUrl}/private`, handlers: { ...priv.handlers, onOrder: (order, fill) => orders.push({ order, fill }) }, ...fast,
      subscriptions: { orders: [], balances: true }, authorize: () => stack.auth!.wsAuthorization(),
    });
    streams.push(publicStream, privateStream);
    publicStream.start();
    privateStream.start();

    await waitFor(() => new Set(pub.seen.tickers.map((t) => t.market)).size === MARKETS.length, 'tickers for every market');
    await waitFor(() => pub.seen.trades.length > 0 && pub.seen.candles.length > 0, 'trades and candles');
    expect(pub.seen.errors).toEqual([]);
    // The private handshake (JWT) may still be under way: a drop before it lands would leave nothing to reconnect.
    await waitFor(() => hub.sockets().some((ws) => ws.data.isPrivate) && privateStream.state().status === 'open', 'the private socket before the drop');

    hub.dropAll();
    await waitFor(() => publicStream.state().connects === 2 && privateStream.state().connects === 2, 'both reconnects');
    const afterDrop = pub.seen.tickers.length;
    await waitFor(() => new Set(pub.seen.tickers.slice(afterDrop).map((t) => t.market)).size === MARKETS.length, 'tickers after the resubscribe');
    expect(pub.seen.states.some((s) => s.status === 'closed')).toBe(true);
    // The private socket re-authorized with a fresh nonce (the simulator rejects reused nonces).
    await waitFor(() => hub.sockets().filter((ws) => ws.data.isPrivate).length === 1, 'the private socket');
    await Bun.sleep(50);

    const placed = await stack.exchange.placeOrder({ market: 'KRW-S001', side: 'buy', kind: 'market', identifier: 'ws-sim-1', amountKrw: 10_000 });
    expect(placed.status).toBe('accepted');
    await waitFor(() => orders.some((o) => o.order.identifier === 'ws-sim-1' && o.fill !== null), 'the myOrder fill');
    const first = orders.find((o) => o.order.identifier === 'ws-sim-1')!;
    expect(first.order).toMatchObject({ market: 'KRW-S001', side: 'buy', kind: 'market' });
    expect(orders.find((o) => o.fill)!.fill).toMatchObject({ side: 'buy', price: expect.any(Number), volume: expect.any(Number) });
    await waitFor(() => priv.seen.balances.length > 0, 'a myAsset balance');
    expect(priv.seen.errors).toEqual([]);
  });
});
