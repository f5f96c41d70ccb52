// Orders over HTTP: wire shapes (strings, integer trades_count), lookup by identifier with trades, async cancel,
// lists and cancel-all, and the "order executed but response lost" fault.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { startTestSim, type TestSim } from './sim-client.ts';

let t: TestSim;
beforeAll(async () => {
  t = await startTestSim({ krw: 500_000 });
});
afterAll(() => t.sim.stop());

type Json = Record<string, unknown>;
const json = async (r: Response) => (await r.json()) as Json;

describe('orders over HTTP', () => {
  test('a market buy answers 201 with Upbit strings and ends cancel with its dust; lookup by identifier has the trades', async () => {
    const r = await t.call('POST', '/v1/orders', { body: { market: 'KRW-XRP', side: 'bid', ord_type: 'price', price: '6000', identifier: 'buy-1' } });
    expect(r.status).toBe(201);
    const created = await json(r);
    expect(created).toMatchObject({ side: 'bid', ord_type: 'price', price: '6000', state: 'cancel', market: 'KRW-XRP', volume: null, reserved_fee: '3', trades_count: 2, identifier: 'buy-1' });
    expect(created.created_at).toBe('2025-09-02T12:00:00+09:00');
    const got = await json(await t.call('GET', '/v1/order', { query: 'identifier=buy-1' }));
    const trades = got.trades as Json[];
    expect(trades.map((x) => [x.price, x.volume, x.side, x.trend])).toEqual([['4001', '1', 'bid', 'up'], ['4002', '0.49950024', 'bid', 'up']]);
    expect(String(trades[0]!.created_at)).toMatch(/^2025-09-02T12:00:00\.\d{6}\+09:00$/);
    expect(Number(got.executed_volume)).toBeCloseTo(1.49950024, 8);
    expect(Number(got.paid_fee) + Number(got.remaining_fee)).toBeCloseTo(3, 8);
    const accounts = (await (await t.call('GET', '/v1/accounts')).json()) as Json[];
    expect(accounts.find((a) => a.currency === 'XRP')).toMatchObject({ balance: '1.49950024', locked: '0', unit_currency: 'KRW' });
  });

  test('DELETE returns the order still in wait; the next step turns it cancel and frees the lock', async () => {
    const placed = await json(await t.call('POST', '/v1/orders', { body: { market: 'KRW-XRP', side: 'bid', ord_type: 'limit', price: '3800', volume: '10', identifier: 'rest-1' } }));
    expect(placed).toMatchObject({ state: 'wait', locked: '38019', reserved_fee: '19', remaining_volume: '10' });
    const open = (await (await t.call('GET', '/v1/orders/open', { query: 'market=KRW-XRP' })).json()) as Json[];
    expect(open.map((o) => o.uuid)).toEqual([placed.uuid]);
    const cancelled = await json(await t.call('DELETE', '/v1/order', { query: `uuid=${placed.uuid}` }));
    expect(cancelled.state).toBe('wait');
    const after = await json(await t.call('GET', '/v1/order', { query: `uuid=${placed.uuid}` }));
    expect(after.state).toBe('cancel');
    const krw = ((await (await t.call('GET', '/v1/accounts')).json()) as Json[]).find((a) => a.currency === 'KRW');
    expect(krw?.locked).toBe('0');
    const reuse = await t.call('POST', '/v1/orders', { body: { market: 'KRW-XRP', side: 'bid', ord_type: 'limit', price: '3800', volume: '10', identifier: 'rest-1' } });
    expect([reuse.status, ((await reuse.json()) as { error: Json }).error.name]).toEqual([400, 'duplicated_identifier']);
  });

  test('closed lists, uuids lookups and cancel-all use Upbit parameters', async () => {
    const ids = ['c-1', 'c-2'];
    for (const id of ids) await t.call('POST', '/v1/orders', { body: { market: 'KRW-XRP', side: 'bid', ord_type: 'limit', price: '3700', volume: '2', identifier: id } });
    const byIds = (await (await t.call('GET', '/v1/orders/uuids', { query: 'identifiers[]=c-1&identifiers[]=c-2&order_by=asc' })).json()) as Json[];
    expect(byIds.map((o) => o.identifier)).toEqual(ids);
    const all = await t.call('DELETE', '/v1/orders/open', { query: 'cancel_side=bid&pairs=KRW-XRP' });
    expect(all.headers.get('remaining-req')).toMatch(/^group=order-cancel-all; /);
    expect(((await all.json()) as { success: { count: number } }).success.count).toBe(2);
    const closed = (await (await t.call('GET', '/v1/orders/closed', { query: 'market=KRW-XRP&state=cancel' })).json()) as Json[];
    expect(closed.map((o) => o.identifier)).toEqual(['c-2', 'c-1', 'rest-1', 'buy-1']);
    expect(closed.every((o) => o.trades === undefined)).toBe(true);
  });

  test('a dropped order response still executes the order, which is then found by identifier', async () => {
    await fetch(`${t.sim.restUrl}/__sim/faults`, { method: 'POST', body: JSON.stringify({ dropOrderResponse: 1 }) });
    const lost = await t
      .call('POST', '/v1/orders', { body: { market: 'KRW-XRP', side: 'bid', ord_type: 'price', price: '5000', identifier: 'lost-1' } })
      .then(async (r) => r.json())
      .then(
        () => 'answered',
        () => 'dropped',
      );
    expect(lost).toBe('dropped');
    const found = await json(await t.call('GET', '/v1/order', { query: 'identifier=lost-1' }));
    expect(found).toMatchObject({ identifier: 'lost-1', state: 'cancel', trades_count: 2 });
    const next = await t.call('POST', '/v1/orders', { body: { market: 'KRW-XRP', side: 'bid', ord_type: 'price', price: '5000', identifier: 'lost-2' } });
    expect(next.status).toBe(201);
  });

  test('orders/chance reports fees, limits and both accounts', async () => {
    const chance = await json(await t.call('GET', '/v1/orders/chance', { query: 'market=KRW-XRP' }));
    expect(chance).toMatchObject({ bid_fee: '0.0005', ask_fee: '0.0005', market: { id: 'KRW-XRP', bid: { currency: 'KRW', min_total: '5000' }, max_total: '1000000000', state: 'active' } });
    expect((chance.ask_account as Json).currency).toBe('XRP');
  });
});
