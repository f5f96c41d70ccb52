// The simulator's WebSocket hub over real sockets: snapshots then realtime, formats, flags, replace, PING, list, limits.
import { afterEach, describe, expect, test } from 'bun:test';
import { createHubFakeModel } from './ws-hub-fake-model.ts';
import { ofType, startHub, T0 } from './ws-hub-harness.ts';

const MARKETS = ['KRW-AAA', 'KRW-BBB', 'KRW-CCC'];
let harness: Awaited<ReturnType<typeof startHub>> | null = null;
afterEach(() => {
  harness?.stop();
  harness = null;
});

describe('createSimWsHub', () => {
  test('sends binary SNAPSHOTs on subscribe, then REALTIME trades, tickers and candles on publish', async () => {
    harness = await startHub(createHubFakeModel(MARKETS));
    const c = await harness.connect();
    c.send([{ ticket: 't' }, { type: 'ticker', codes: ['KRW-AAA', 'KRW-BBB'] }, { type: 'trade', codes: ['KRW-AAA'] }, { type: 'candle.1m', codes: ['KRW-AAA'] }]);
    await c.waitFor((x) => x.messages.length === 4, 'four snapshots');
    expect(c.binary.every(Boolean)).toBe(true);
    expect(c.messages.map((m) => [m.type, m.code, m.stream_type])).toEqual([
      ['ticker', 'KRW-AAA', 'SNAPSHOT'], ['ticker', 'KRW-BBB', 'SNAPSHOT'], ['trade', 'KRW-AAA', 'SNAPSHOT'], ['candle.1m', 'KRW-AAA', 'SNAPSHOT'],
    ]);
    expect(c.messages[2]).toMatchObject({ trade_timestamp: T0 - 10_000, ask_bid: expect.stringMatching(/^(ASK|BID)$/) });
    expect(c.messages[3]).toMatchObject({ candle_date_time_utc: '2025-09-04T03:00:00', candle_date_time_kst: '2025-09-04T12:00:00' });
    c.messages.length = 0;
    harness.hub.publish(harness.clock.advance(60_000));
    await c.waitFor((x) => ofType(x, 'candle.1m').length === 2, 'the final 03:00 candle and the 03:01 candle');
    const trades = ofType(c, 'trade');
    expect(trades.map((t) => t.trade_timestamp)).toEqual([T0 + 5_000, T0 + 20_000, T0 + 35_000, T0 + 50_000]);
    expect(c.messages.every((m) => m.stream_type === 'REALTIME')).toBe(true);
    expect(ofType(c, 'ticker').map((t) => t.code).sort()).toEqual(['KRW-AAA', 'KRW-BBB']);
    // The 03:00 bucket's last trade (03:00:45) came after the snapshot: its final state is sent before 03:01.
    const final0300 = harness.model.candles('KRW-AAA', 60, T0, 1, T0 + 60_000)[0]!;
    expect(final0300.lastTradeTime).toBe(T0 + 35_000);
    expect(ofType(c, 'candle.1m').map((m) => [m.candle_date_time_utc, m.candle_acc_trade_volume])).toEqual([
      ['2025-09-04T03:00:00', final0300.volume],
      ['2025-09-04T03:01:00', expect.any(Number)],
    ]);
  });

  test('SIMPLE format abbreviates keys, orderbook depth suffixes cut the book and is_only_* flags are honoured', async () => {
    harness = await startHub(createHubFakeModel(MARKETS));
    const c = await harness.connect();
    c.send([{ ticket: 't' }, { type: 'orderbook', codes: ['KRW-AAA.5'], is_only_snapshot: true }, { type: 'ticker', codes: ['KRW-BBB'], is_only_realtime: true }, { format: 'SIMPLE' }]);
    await c.waitFor((x) => x.messages.length === 1, 'the orderbook snapshot');
    const book = c.messages[0]!;
    expect(book).toMatchObject({ ty: 'orderbook', cd: 'KRW-AAA', st: 'SNAPSHOT', lv: 0 });
    expect(book.obu).toHaveLength(5);
    expect(Object.keys((book.obu as object[])[0]!).sort()).toEqual(['ap', 'as', 'bp', 'bs']);
    harness.hub.publish(harness.clock.advance(30_000));
    await c.waitFor((x) => x.messages.length === 2, 'the realtime ticker');
    expect(c.messages[1]).toMatchObject({ ty: 'ticker', cd: 'KRW-BBB', st: 'REALTIME', tp: expect.any(Number), scr: expect.any(Number) });
    expect(c.messages[1]).not.toHaveProperty('trade_price');
  });

  test('a new request replaces the subscription set, and LIST_SUBSCRIPTIONS shows it', async () => {
    harness = await startHub(createHubFakeModel(MARKETS));
    const c = await harness.connect();
    c.send([{ ticket: 't' }, { type: 'trade', codes: ['KRW-AAA'], is_only_realtime: true }]);
    c.send([{ ticket: 't' }, { type: 'trade', codes: ['KRW-CCC'], is_only_realtime: true }]);
    c.send([{ ticket: 'x' }, { method: 'LIST_SUBSCRIPTIONS' }]);
    await c.waitFor((x) => x.messages.length === 1, 'the list');
    expect(c.messages[0]).toEqual({ method: 'LIST_SUBSCRIPTIONS', result: [{ type: 'trade', codes: ['KRW-CCC'] }], ticket: 'x' });
    harness.hub.publish(harness.clock.advance(15_000));
    await c.waitFor((x) => x.messages.length === 2, 'one trade');
    expect(c.messages[1]).toMatchObject({ type: 'trade', code: 'KRW-CCC' });
  });

  test('answers PING with {"status":"UP"} and keeps sending it every heartbeatMs', async () => {
    harness = await startHub(createHubFakeModel(MARKETS), { heartbeatMs: 20, housekeepingMs: 5 });
    const c = await harness.connect();
    c.send('PING');
    await c.waitFor((x) => x.messages.length >= 3, 'three UP frames');
    expect(c.messages.slice(0, 3)).toEqual([{ status: 'UP' }, { status: 'UP' }, { status: 'UP' }]);
  });

  test('closes a socket after idleTimeoutMs without client frames', async () => {
    harness = await startHub(createHubFakeModel(MARKETS), { idleTimeoutMs: 40, housekeepingMs: 5 });
    const c = await harness.connect();
    await c.waitFor((x) => x.closed !== null, 'the idle close');
    expect(c.closed).toEqual({ code: 1000, reason: 'idle timeout' });
    expect(harness.hub.sockets()).toHaveLength(0);
  });

  test('answers the sixth request within one second with a Too Many Requests error frame', async () => {
    harness = await startHub(createHubFakeModel(MARKETS), { realNow: () => 5_000 });
    const c = await harness.connect();
    for (let i = 0; i < 6; i++) c.send([{ ticket: 't' }, { method: 'LIST_SUBSCRIPTIONS' }]);
    await c.waitFor((x) => x.messages.length === 6, 'six answers');
    expect(c.messages.slice(0, 5).every((m) => m.method === 'LIST_SUBSCRIPTIONS')).toBe(true);
    expect(c.messages[5]).toMatchObject({ error: { name: 'Too Many Requests' } });
  });

  test('rejects bad requests with Upbit error names over the wire', async () => {
    harness = await startHub(createHubFakeModel(MARKETS));
    const c = await harness.connect();
    c.send('nope');
    c.send([{ type: 'ticker', codes: ['KRW-AAA'] }]);
    c.send([{ ticket: 't' }, { type: 'myOrder' }]);
    await c.waitFor((x) => x.messages.length === 3, 'three errors');
    expect(c.messages.map((m) => (m.error as { name: string }).name)).toEqual(['WRONG_FORMAT', 'NO_TICKET', 'INVALID_AUTH']);
  });
});
