// End to end: an order placed over REST reaches the account's private WebSocket as myOrder and myAsset events.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createSimWsHub } from '../../src/sim/ws-hub.ts';
import { createSimClock } from '../../src/sim/clock.ts';
import { startSimulator, type Simulator } from '../../src/sim/server.ts';
import { createFakeMarketModel } from './fake-market-model.ts';
import { ACCESS, createCaller, SECRET, signToken, T0 } from './sim-client.ts';

let sim: Simulator;
beforeAll(async () => {
  const model = createFakeMarketModel({ 'KRW-XRP': { price: 4000, levelSize: 1 } });
  const clock = createSimClock({ startAt: T0, speed: 0 });
  sim = await startSimulator({ accessKey: ACCESS, secretKey: SECRET, model, clock, stepIntervalMs: 0, wsHub: createSimWsHub({ model, clock }) });
});
afterAll(() => sim.stop());

describe('private pushes', () => {
  test('myOrder (wait, trade, final) and myAsset arrive in DEFAULT format', async () => {
    const token = await signToken({});
    const ws = new WebSocket(`${sim.wsUrl}/private`, { headers: { authorization: `Bearer ${token}` } } as unknown as string[]);
    const frames: Array<Record<string, unknown>> = [];
    ws.onmessage = async (e) => {
      const text = typeof e.data === 'string' ? e.data : await new Blob([e.data as ArrayBuffer]).text();
      frames.push(JSON.parse(text) as Record<string, unknown>);
    };
    await new Promise<void>((resolve) => (ws.onopen = () => resolve()));
    ws.send(JSON.stringify([{ ticket: 't' }, { type: 'myOrder' }, { type: 'myAsset' }]));
    // The LIST_SUBSCRIPTIONS reply proves the subscription above was processed (frames are handled in order).
    ws.send(JSON.stringify([{ ticket: 't' }, { method: 'LIST_SUBSCRIPTIONS' }]));
    for (let i = 0; i < 100 && !frames.some((f) => f.method === 'LIST_SUBSCRIPTIONS'); i++) await Bun.sleep(5);
    const r = await createCaller(sim.restUrl)('POST', '/v1/orders', { body: { market: 'KRW-XRP', side: 'bid', ord_type: 'price', price: '6000' } });
    expect(r.status).toBe(201);
    for (let i = 0; i < 50 && !frames.some((f) => f.type === 'myOrder' && f.state === 'cancel'); i++) await Bun.sleep(10);
    ws.close();
    expect(frames.filter((f) => f.type === 'myOrder').map((f) => f.state)).toEqual(['wait', 'trade', 'trade', 'cancel']);
    expect(frames.find((f) => f.type === 'myOrder')).toMatchObject({ code: 'KRW-XRP', ask_bid: 'BID', order_type: 'price', stream_type: 'REALTIME' });
    const asset = frames.findLast((f) => f.type === 'myAsset') as { assets: Array<{ currency: string; locked: number }> } | undefined;
    expect(asset?.assets.find((a) => a.currency === 'KRW')?.locked).toBe(0);
  });
});
