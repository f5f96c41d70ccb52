// Contract: the real Upbit client against the real simulator for every Exchange endpoint it wraps — accounts,
// orders/chance, every order type, orders/test, lookups with trades, asynchronous cancel, lists and cancel-all.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { Balance, Order } from '../../src/core/types.ts';
import { OrderNotFound } from '../../src/exchange/errors.ts';
import type { PlaceOrderRequest } from '../../src/exchange/exchange.ts';
import { ACCESS, startContractSim, type ContractSim } from './contract-harness.ts';

let c: ContractSim;
beforeAll(async () => {
  c = await startContractSim();
});
afterAll(() => c.stop());

async function place(req: PlaceOrderRequest): Promise<Order> {
  const result = await c.stack.exchange.placeOrder(req);
  if (result.status !== 'accepted') throw new Error(`Order ${req.identifier} came back ${result.status}`);
  return result.order;
}
const book = (market: string) => c.sim.model.orderbook(market, c.sim.clock.now(), 30);
const simOrder = async (identifier: string) => (await c.state()).orders.filter((o) => o.identifier === identifier);

/** The client's balances equal the simulator's books, currency by currency. */
async function expectBalancesMatchSim(): Promise<Balance[]> {
  const [mine, state] = await Promise.all([c.stack.exchange.fetchBalances(), c.state()]);
  const sim = state.balances[ACCESS]!;
  expect(mine.map((b) => b.currency).sort()).toEqual(sim.map((b) => b.currency).sort());
  for (const b of mine) {
    const s = sim.find((x) => x.currency === b.currency)!;
    expect(b.free).toBeCloseTo(s.balance, 7);
    expect(b.locked).toBeCloseTo(s.locked, 7);
  }
  return mine;
}

describe('exchange contract: client ↔ simulator', () => {
  test('fetchBalances and fetchOrderChance read the starting account and the KRW rules', async () => {
    const balances = await expectBalancesMatchSim();
    expect(balances).toEqual([{ currency: 'KRW', free: 1_000_000, locked: 0, avgBuyPrice: 0, raw: { balance: '1000000', locked: '0', avgBuyPrice: '0' } }]);
    expect(await c.stack.exchange.fetchOrderChance('KRW-BTC')).toEqual({ market: 'KRW-BTC', bidFeeRate: 0.0005, askFeeRate: 0.0005, minTotalKrw: 5000, maxTotalKrw: 1_000_000_000, state: 'active' });
  });

  test('a market buy (ord_type price) ends cancelled with fills once the dust is refunded; balances match the simulator', async () => {
    const order = await place({ market: 'KRW-BTC', side: 'buy', kind: 'market', amountKrw: 20_000, identifier: 'mb-1' });
    expect(order).toMatchObject({ kind: 'market', side: 'buy', state: 'cancelled', price: 20_000, volume: null, identifier: 'mb-1' });
    const byId = await c.stack.exchange.fetchOrder({ id: order.id });
    const byIdentifier = await c.stack.exchange.fetchOrder({ identifier: 'mb-1' });
    expect(byIdentifier).toEqual(byId);
    expect(byId.fills.length).toBeGreaterThan(0);
    const spent = byId.fills.reduce((s, f) => s + f.funds, 0);
    expect(spent).toBeLessThan(20_000);
    expect(spent).toBeGreaterThan(19_000);
    expect(byId.fills[0]!.price).toBe(book('KRW-BTC')[0]!.askPrice);
    const balances = await expectBalancesMatchSim();
    expect(balances.find((b) => b.currency === 'BTC')?.free).toBeCloseTo(byId.executedVolume, 8);
    expect(balances.find((b) => b.currency === 'KRW')?.free).toBeCloseTo(1_000_000 - spent - byId.paidFee, 6);
  });

  test('a resting limit buy locks notional + fee; cancel answers while still open, then it turns cancelled', async () => {
    const price = Math.floor(book('KRW-XRP')[0]!.bidPrice * 0.9);
    const order = await place({ market: 'KRW-XRP', side: 'buy', kind: 'limit', price, volume: 5, identifier: 'lim-1' });
    expect(order).toMatchObject({ state: 'open', price, volume: 5, remainingVolume: 5, executedVolume: 0 });
    expect(order.locked).toBeCloseTo(price * 5 * 1.0005, 6);
    expect((await c.stack.exchange.fetchOpenOrders('KRW-XRP')).map((o) => o.identifier)).toEqual(['lim-1']);
    expect((await expectBalancesMatchSim()).find((b) => b.currency === 'KRW')?.locked).toBeCloseTo(order.locked, 6);
    const snapshot = await c.stack.exchange.cancelOrder({ identifier: 'lim-1' });
    expect(snapshot.state).toBe('open'); // Upbit's cancel is asynchronous
    expect((await c.stack.exchange.fetchOrder({ id: order.id })).state).toBe('cancelled');
    expect((await expectBalancesMatchSim()).find((b) => b.currency === 'KRW')?.locked).toBe(0);
    const closed = await c.stack.exchange.fetchClosedOrders({ market: 'KRW-XRP' });
    expect(closed.find((o) => o.identifier === 'lim-1')?.state).toBe('cancelled');
  });

  test('a market sell (ord_type market) and best-price ioc/fok orders fill against the book', async () => {
    const btc = (await c.stack.exchange.fetchBalances()).find((b) => b.currency === 'BTC')!.free;
    const sell = await place({ market: 'KRW-BTC', side: 'sell', kind: 'market', volume: btc / 2, identifier: 'ms-1' });
    expect(sell).toMatchObject({ kind: 'market', side: 'sell', state: 'done', price: null });
    expect((await c.stack.exchange.fetchOrder({ id: sell.id })).fills[0]!.price).toBe(book('KRW-BTC')[0]!.bidPrice);
    const bestBuy = await place({ market: 'KRW-XRP', side: 'buy', kind: 'best', amountKrw: 10_000, timeInForce: 'ioc', identifier: 'bb-1' });
    expect(bestBuy).toMatchObject({ kind: 'best', timeInForce: 'ioc' });
    expect(bestBuy.executedVolume).toBeGreaterThan(0);
    const xrp = (await c.stack.exchange.fetchBalances()).find((b) => b.currency === 'XRP')!.free;
    const bestSell = await place({ market: 'KRW-XRP', side: 'sell', kind: 'best', volume: xrp, timeInForce: 'fok', identifier: 'bs-1' });
    expect(bestSell).toMatchObject({ kind: 'best', timeInForce: 'fok', state: 'done' });
    expect(bestSell.executedVolume).toBeCloseTo(xrp, 8);
    expect(await simOrder('bs-1')).toHaveLength(1);
    await expectBalancesMatchSim();
  });

  test('post_only: a crossing limit is cancelled without fills, a passive one rests', async () => {
    const { askPrice, bidPrice } = book('KRW-ETH')[0]!;
    const crossing = await place({ market: 'KRW-ETH', side: 'buy', kind: 'limit', price: askPrice, volume: 0.002, timeInForce: 'post_only', identifier: 'po-1' });
    expect(crossing).toMatchObject({ state: 'cancelled', executedVolume: 0, timeInForce: 'post_only' });
    const passive = await place({ market: 'KRW-ETH', side: 'buy', kind: 'limit', price: bidPrice, volume: 0.002, timeInForce: 'post_only', identifier: 'po-2' });
    expect(passive).toMatchObject({ state: 'open', timeInForce: 'post_only' });
    await c.stack.exchange.cancelOrder({ id: passive.id });
  });

  test('testOrder validates and answers an order that was never created', async () => {
    const before = (await c.state()).orders.length;
    const probe = await c.stack.exchange.testOrder({ market: 'KRW-BTC', side: 'buy', kind: 'market', amountKrw: 5_000, identifier: 'probe-1' });
    expect(probe).toMatchObject({ market: 'KRW-BTC', kind: 'market', identifier: 'probe-1' });
    expect((await c.state()).orders.length).toBe(before);
    expect(await c.stack.exchange.findOrderByIdentifier('probe-1')).toBeNull();
  });

  test('cancelOpenOrders (DELETE /orders/open) cancels the resting orders of the chosen market only', async () => {
    const xrpBid = Math.floor(book('KRW-XRP')[0]!.bidPrice * 0.8);
    const ethBid = book('KRW-ETH')[0]!.bidPrice;
    await place({ market: 'KRW-XRP', side: 'buy', kind: 'limit', price: xrpBid, volume: 3, identifier: 'ca-1' });
    await place({ market: 'KRW-XRP', side: 'buy', kind: 'limit', price: xrpBid, volume: 4, identifier: 'ca-2' });
    await place({ market: 'KRW-ETH', side: 'buy', kind: 'limit', price: Math.floor((ethBid * 0.8) / 1000) * 1000, volume: 0.01, identifier: 'ca-3' });
    const result = await c.stack.exchange.cancelOpenOrders({ side: 'buy', markets: ['KRW-XRP'] });
    expect(result.cancelled.map((o) => o.identifier).sort()).toEqual(['ca-1', 'ca-2']);
    expect(result.failed).toEqual([]);
    expect((await c.stack.exchange.fetchOpenOrders()).map((o) => o.identifier)).toEqual(['ca-3']);
    await c.stack.exchange.cancelOrder({ identifier: 'ca-3' });
    expect(await c.stack.exchange.fetchOpenOrders()).toEqual([]);
    expect((await expectBalancesMatchSim()).find((b) => b.currency === 'KRW')?.locked).toBe(0);
  });

  test('fetchOrder of an unknown uuid and cancelling a finished order are OrderNotFound', async () => {
    const missing = await c.stack.exchange.fetchOrder({ id: '00000000-0000-4000-8000-000000000000' }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(OrderNotFound);
    expect((missing as OrderNotFound).code).toBe('order_not_found');
    await expect(c.stack.exchange.cancelOrder({ identifier: 'ms-1' })).rejects.toBeInstanceOf(OrderNotFound);
  });
});
