// Exchange engine: book walking, fees, locks, validation order, identifiers, async cancel, resting fills.
import { describe, expect, test } from 'bun:test';
import { createAccounts } from '../../src/sim/accounts.ts';
import { createEngine } from '../../src/sim/engine.ts';
import { SimHttpError } from '../../src/sim/errors.ts';
import { createPrng } from '../../src/sim/prng.ts';
import { createFakeMarketModel } from './fake-market-model.ts';

const T0 = Date.UTC(2025, 8, 2);
const AK = 'ak';

function setup(krw = 1_000_000) {
  const model = createFakeMarketModel({ 'KRW-BTC': { price: 100_000_000, levelSize: 0.001 }, 'KRW-XRP': { price: 4000, levelSize: 1 } });
  let now = T0;
  const clock = { now: () => now };
  const accounts = createAccounts({ startKrw: krw });
  const events: Array<Record<string, unknown>> = [];
  const engine = createEngine({ model, clock, accounts, prng: createPrng(1), emit: (_ak, p) => events.push(p) });
  const advance = (ms: number) => {
    now += ms;
    engine.step();
  };
  return { model, engine, accounts, events, advance, now: () => now };
}

function rejection(fn: () => unknown): { status: number; code: string | number } {
  try {
    fn();
  } catch (e) {
    if (e instanceof SimHttpError) return { status: e.status, code: e.code };
    throw e;
  }
  throw new Error('expected a rejection');
}

describe('engine orders', () => {
  test('a market buy walks the asks, pays the fee on top and ends cancel with the KRW dust refunded', () => {
    const { engine, accounts } = setup();
    const o = engine.placeOrder(AK, { market: 'KRW-XRP', side: 'bid', ord_type: 'price', price: '10000' });
    expect(o.trades.map((t) => t.price)).toEqual([4001, 4002, 4003]);
    expect(o.trades.map((t) => t.volume)).toEqual([1, 1, 0.49887584]);
    expect(o.state).toBe('cancel');
    const spent = 4001 + 4002 + 0.49887584 * 4003;
    expect(o.executedFunds).toBeCloseTo(spent, 8);
    expect(o.reservedFee).toBeCloseTo(5, 10);
    expect(o.paidFee).toBeCloseTo(spent * 0.0005, 10);
    const krw = accounts.get(AK, 'KRW');
    expect(krw.locked).toBe(0);
    expect(krw.balance).toBeCloseTo(1_000_000 - spent * 1.0005, 6);
    const xrp = accounts.get(AK, 'XRP');
    expect(xrp.balance).toBeCloseTo(2.49887584, 8);
    expect(xrp.avgBuyPrice).toBeCloseTo(spent / 2.49887584, 6);
  });

  test('a market sell walks the bids and takes the fee out of the proceeds', () => {
    const { engine, accounts } = setup();
    engine.placeOrder(AK, { market: 'KRW-XRP', side: 'bid', ord_type: 'price', price: '20000' });
    const before = accounts.get(AK, 'KRW').balance;
    const o = engine.placeOrder(AK, { market: 'KRW-XRP', side: 'ask', ord_type: 'market', volume: '2.5' });
    expect(o.state).toBe('done');
    expect(o.trades.map((t) => [t.price, t.volume])).toEqual([[4000, 1], [3999, 1], [3998, 0.5]]);
    const funds = 4000 + 3999 + 1999;
    expect(accounts.get(AK, 'KRW').balance).toBeCloseTo(before + funds * 0.9995, 6);
    expect(o.paidFee).toBeCloseTo(funds * 0.0005, 8);
  });

  test('market orders larger than the 30 visible levels are refused', () => {
    const { engine } = setup(1e9);
    // 30 ask levels of 1 XRP around 4000 KRW hold about 120,465 KRW.
    expect(rejection(() => engine.placeOrder(AK, { market: 'KRW-XRP', side: 'bid', ord_type: 'price', price: '200000' })).status).toBe(400);
  });

  test('a limit bid locks notional plus fee, and a cancel releases it only at the next step', () => {
    const { engine, accounts, advance } = setup();
    const o = engine.placeOrder(AK, { market: 'KRW-XRP', side: 'bid', ord_type: 'limit', price: '3900', volume: '10', identifier: 'a-1' });
    expect(o.state).toBe('wait');
    expect(o.locked).toBeCloseTo(39_000 * 1.0005, 8);
    expect(accounts.get(AK, 'KRW')).toMatchObject({ balance: 1_000_000 - 39_019.5, locked: 39_019.5 });
    const snapshot = engine.requestCancel(AK, { identifier: 'a-1' });
    expect(snapshot.state).toBe('wait');
    advance(100);
    expect(engine.getOrder(AK, { uuid: o.uuid }).state).toBe('cancel');
    expect(accounts.get(AK, 'KRW')).toMatchObject({ balance: 1_000_000, locked: 0 });
  });

  test('a limit ask locks the coin volume and a crossing trade fills it as maker', () => {
    const { engine, accounts, model, advance, now } = setup();
    engine.placeOrder(AK, { market: 'KRW-XRP', side: 'bid', ord_type: 'price', price: '20000' });
    const o = engine.placeOrder(AK, { market: 'KRW-XRP', side: 'ask', ord_type: 'limit', price: '4100', volume: '2' });
    expect(accounts.get(AK, 'XRP').locked).toBe(2);
    model.addTrade('KRW-XRP', now() + 50, 4050);
    advance(100);
    expect(o.state).toBe('wait');
    model.addTrade('KRW-XRP', now() + 50, 4100);
    advance(100);
    expect(o.state).toBe('done');
    expect(o.trades[0]).toMatchObject({ price: 4100, volume: 2, isMaker: true, trend: 'up' });
    expect(accounts.get(AK, 'XRP').locked).toBe(0);
  });

  test('a crossing limit bid takes the book up to its price and rests the remainder', () => {
    const { engine, accounts } = setup();
    const o = engine.placeOrder(AK, { market: 'KRW-XRP', side: 'bid', ord_type: 'limit', price: '4002', volume: '5' });
    expect(o.trades.map((t) => t.price)).toEqual([4001, 4002]);
    expect(o.state).toBe('wait');
    expect(o.locked).toBeCloseTo(3 * 4002 * 1.0005 + 2 * 4002 * 1.0005 - (4001 + 4002) * 1.0005, 6);
    expect(accounts.get(AK, 'KRW').locked).toBeCloseTo(o.locked, 6);
  });

  test('ioc cancels the rest, fok refuses a partial fill, post_only refuses to take', () => {
    const { engine, accounts } = setup();
    const ioc = engine.placeOrder(AK, { market: 'KRW-XRP', side: 'bid', ord_type: 'limit', price: '4002', volume: '5', time_in_force: 'ioc' });
    expect([ioc.state, ioc.executedVolume]).toEqual(['cancel', 2]);
    const fok = engine.placeOrder(AK, { market: 'KRW-XRP', side: 'bid', ord_type: 'limit', price: '4002', volume: '5', time_in_force: 'fok' });
    expect([fok.state, fok.trades.length]).toEqual(['cancel', 0]);
    const post = engine.placeOrder(AK, { market: 'KRW-XRP', side: 'bid', ord_type: 'limit', price: '4001', volume: '5', time_in_force: 'post_only' });
    expect([post.state, post.trades.length]).toEqual(['cancel', 0]);
    const best = engine.placeOrder(AK, { market: 'KRW-XRP', side: 'bid', ord_type: 'best', price: '6000', time_in_force: 'ioc' });
    expect(best.trades.map((t) => t.price)).toEqual([4001, 4002]);
    expect(accounts.get(AK, 'KRW').locked).toBe(0);
  });
});

describe('engine validation', () => {
  test('errors follow the documented names and order', () => {
    const { engine } = setup(10_000);
    const place = (body: Record<string, unknown>) => rejection(() => engine.placeOrder(AK, body));
    expect(place({ market: 'KRW-NOPE', side: 'sideways', ord_type: 'limit' })).toEqual({ status: 400, code: 'notfoundmarket' });
    expect(place({ market: 'KRW-XRP', side: 'bid', ord_type: 'price', price: '5000', volume: '1' }).code).toBe('create_bid_error');
    expect(place({ market: 'KRW-XRP', side: 'ask', ord_type: 'price', price: '5000' }).code).toBe('create_ask_error');
    expect(place({ market: 'KRW-XRP', side: 'bid', ord_type: 'best', price: '5000' }).code).toBe('invalid_time_in_force');
    expect(place({ market: 'KRW-XRP', side: 'ask', ord_type: 'market', volume: '2', time_in_force: 'ioc' }).code).toBe('invalid_time_in_force');
    expect(place({ market: 'KRW-XRP', side: 'bid', ord_type: 'limit', price: '4000.5', volume: '1' }).code).toBe('invalid_price_bid');
    expect(place({ market: 'KRW-BTC', side: 'ask', ord_type: 'limit', price: '100000500', volume: '1' }).code).toBe('invalid_price_ask');
    expect(place({ market: 'KRW-XRP', side: 'bid', ord_type: 'limit', price: '4000', volume: '1' }).code).toBe('under_min_total_bid');
    expect(place({ market: 'KRW-XRP', side: 'ask', ord_type: 'market', volume: '1' }).code).toBe('under_min_total_ask');
    expect(place({ market: 'KRW-XRP', side: 'bid', ord_type: 'price', price: '1000000001' }).code).toBe('over_krw_funds_bid');
    expect(place({ market: 'KRW-XRP', side: 'bid', ord_type: 'price', price: '10000' }).code).toBe('insufficient_funds_bid');
    expect(place({ market: 'KRW-XRP', side: 'ask', ord_type: 'limit', price: '4000', volume: '2' }).code).toBe('insufficient_funds_ask');
    expect(place({ market: 'KRW-XRP', side: 'bid', ord_type: 'limit', price: '4000', volume: '2', time_in_force: 'post_only', smp_type: 'reduce' }).code).toBe('invalid_post_only');
  });

  test('an identifier is never accepted twice, even after a rejection or a cancel', () => {
    const { engine, advance } = setup();
    const place = (id: string, price = '3900') => engine.placeOrder(AK, { market: 'KRW-XRP', side: 'bid', ord_type: 'limit', price, volume: '2', identifier: id });
    const o = place('x-1');
    engine.requestCancel(AK, { uuid: o.uuid });
    advance(10);
    expect(rejection(() => place('x-1')).code).toBe('duplicated_identifier');
    expect(rejection(() => place('x-2', '3900.5')).code).toBe('invalid_price_bid');
    expect(rejection(() => place('x-2')).code).toBe('duplicated_identifier');
    expect(rejection(() => place('y'.repeat(65))).code).toBe('validation_error');
    expect(engine.getOrder(AK, { identifier: 'x-1' }).uuid).toBe(o.uuid);
  });

  test('a test order validates but creates nothing and burns no identifier', () => {
    const { engine, accounts } = setup();
    const o = engine.placeOrder(AK, { market: 'KRW-XRP', side: 'bid', ord_type: 'limit', price: '3900', volume: '2', identifier: 't' }, true);
    expect(o.state).toBe('wait');
    expect(engine.allOrders()).toHaveLength(0);
    expect(accounts.get(AK, 'KRW').locked).toBe(0);
    expect(engine.placeOrder(AK, { market: 'KRW-XRP', side: 'bid', ord_type: 'limit', price: '3900', volume: '2', identifier: 't' }).identifier).toBe('t');
  });

  test('myOrder and myAsset events announce creation, fills and the final state', () => {
    const { engine, events } = setup();
    engine.placeOrder(AK, { market: 'KRW-XRP', side: 'bid', ord_type: 'price', price: '6000' });
    const states = events.filter((e) => e.type === 'myOrder').map((e) => e.state);
    expect(states).toEqual(['wait', 'trade', 'trade', 'cancel']);
    const fill = events.find((e) => e.state === 'trade');
    expect(fill).toMatchObject({ code: 'KRW-XRP', ask_bid: 'BID', order_type: 'price', price: 4001, volume: 1, is_maker: false, stream_type: 'REALTIME' });
    expect(events.some((e) => e.type === 'myAsset')).toBe(true);
  });
});
