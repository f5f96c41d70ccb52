// The simulator hub's private side, fault injection and scale: myOrder/myAsset routing, dropAll, 125 markets.
import { afterEach, describe, expect, test } from 'bun:test';
import { createHubFakeModel } from './ws-hub-fake-model.ts';
import { ofType, startHub } from './ws-hub-harness.ts';

let harness: Awaited<ReturnType<typeof startHub>> | null = null;
afterEach(() => {
  harness?.stop();
  harness = null;
});

const ORDER = { type: 'myOrder', code: 'KRW-AAA', uuid: 'u-1', ask_bid: 'BID', order_type: 'price', state: 'wait', identifier: 'cb-1' };

describe('createSimWsHub private and faults', () => {
  test('routes myOrder and myAsset only to the matching account, honouring myOrder codes', async () => {
    harness = await startHub(createHubFakeModel(['KRW-AAA', 'KRW-BBB']));
    const alice = await harness.connect('/websocket/v1/private', 'alice');
    const aliceBtcOnly = await harness.connect('/websocket/v1/private', 'alice');
    const bob = await harness.connect('/websocket/v1/private', 'bob');
    alice.send([{ ticket: 'a' }, { type: 'myOrder' }, { type: 'myAsset' }, { format: 'SIMPLE' }]);
    aliceBtcOnly.send([{ ticket: 'b' }, { type: 'myOrder', codes: ['KRW-BBB'] }]);
    bob.send([{ ticket: 'c' }, { type: 'myOrder', codes: [] }]);
    await Bun.sleep(20);
    harness.hub.publishPrivate('alice', ORDER);
    harness.hub.publishPrivate('alice', { type: 'myAsset', assets: [{ currency: 'KRW', balance: 1, locked: 2 }], asset_timestamp: 5 });
    await alice.waitFor((x) => x.messages.length === 2, 'order and asset');
    expect(alice.messages[0]).toMatchObject({ ty: 'myOrder', cd: 'KRW-AAA', uid: 'u-1', ab: 'BID', ot: 'price', s: 'wait', id: 'cb-1', st: 'REALTIME' });
    expect(alice.messages[1]).toMatchObject({ ty: 'myAsset', ast: [{ cu: 'KRW', b: 1, l: 2 }], asttms: 5 });
    harness.hub.publishPrivate('alice', { ...ORDER, code: 'KRW-BBB' });
    await aliceBtcOnly.waitFor((x) => x.messages.length === 1, 'the KRW-BBB order');
    expect(aliceBtcOnly.messages[0]).toMatchObject({ type: 'myOrder', code: 'KRW-BBB', stream_type: 'REALTIME' });
    expect(bob.messages).toEqual([]);
  });

  test('myAsset with codes is WRONG_FORMAT on the private socket', async () => {
    harness = await startHub(createHubFakeModel(['KRW-AAA']));
    const c = await harness.connect('/websocket/v1/private', 'alice');
    c.send([{ ticket: 'a' }, { type: 'myAsset', codes: ['KRW-AAA'] }]);
    await c.waitFor((x) => x.messages.length === 1, 'the error');
    expect(c.messages[0]).toMatchObject({ error: { name: 'WRONG_FORMAT' } });
  });

  test('dropAll() closes every socket abruptly and forgets them', async () => {
    harness = await startHub(createHubFakeModel(['KRW-AAA']));
    const a = await harness.connect();
    const b = await harness.connect('/websocket/v1/private', 'alice');
    expect(harness.hub.sockets()).toHaveLength(2);
    harness.hub.dropAll();
    await a.waitFor((x) => x.closed !== null, 'a closed');
    await b.waitFor((x) => x.closed !== null, 'b closed');
    expect(a.closed!.code).not.toBe(1000);
    expect(harness.hub.sockets()).toHaveLength(0);
  });

  test('one request for 125 markets streams tickers, trades and candles for every market', async () => {
    const markets = Array.from({ length: 125 }, (_, i) => `KRW-S${String(i).padStart(3, '0')}`);
    const model = createHubFakeModel(markets, { tradeEveryMs: 10_000 });
    harness = await startHub(model);
    const c = await harness.connect();
    c.send([{ ticket: 't' }, { type: 'ticker', codes: markets, is_only_realtime: true }, { type: 'trade', codes: markets, is_only_realtime: true }, { type: 'candle.1m', codes: markets, is_only_realtime: true }, { format: 'SIMPLE' }]);
    await Bun.sleep(20);
    harness.hub.publish(harness.clock.advance(30_000));
    await c.waitFor((x) => ofType(x, 'candle.1m').length === 125, 'a candle per market');
    expect(new Set(ofType(c, 'trade').map((m) => m.cd)).size).toBe(125);
    expect(ofType(c, 'trade')).toHaveLength(375);
    expect(new Set(ofType(c, 'ticker').map((m) => m.cd)).size).toBe(125);
    expect(harness.hub.stats().messages).toBeGreaterThanOrEqual(125 * 5);
    // Candles are pushed at most once per simulated second per market and unit.
    const before = model.calls.candles!;
    harness.hub.publish(harness.clock.advance(500));
    harness.hub.publish(harness.clock.advance(400));
    expect(model.calls.candles).toBe(before);
  });
});
