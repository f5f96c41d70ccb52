// Paper exchange limit orders, cancels and restarts: crossing fills, resting fills on price checks, locks, persistence.
import { afterEach, describe, expect, test } from 'bun:test';
import { InvalidOrder, MinimumTotal, OrderNotFound } from '../../src/exchange/errors.ts';
import { accepted, balanceOf, NOW, setupPaper, type PaperSetup } from './paper-setup.ts';

let s: PaperSetup;
afterEach(() => s?.handle.close());

const limit = (identifier: string, side: 'buy' | 'sell', price: number, volume: number, timeInForce?: 'ioc' | 'fok' | 'post_only') => ({
  market: 'KRW-BTC', side, kind: 'limit' as const, identifier, price, volume, ...(timeInForce ? { timeInForce } : {}),
});

describe('paper limit orders', () => {
  test('a buy below the asks rests open with KRW locked and fills at its limit once the price reaches it', async () => {
    s = await setupPaper();
    const order = await accepted(s.paper.placeOrder(limit('l-1', 'buy', 99_000_000, 0.001)));
    expect(order.state).toBe('open');
    expect(await balanceOf(s.paper, 'KRW')).toMatchObject({ free: 1_000_000 - 99_049.5, locked: 99_049.5 });
    expect(await s.paper.onPrice('KRW-BTC', 99_500_000)).toEqual([]);
    const [filled] = await s.paper.onPrice('KRW-BTC', 98_900_000);
    expect(filled).toMatchObject({ state: 'done', executedVolume: 0.001, remainingVolume: 0, locked: 0 });
    expect(filled!.fills).toEqual([expect.objectContaining({ price: 99_000_000, volume: 0.001, funds: 99_000 })]);
    expect(filled!.paidFee).toBeCloseTo(49.5, 8);
    const krw = await balanceOf(s.paper, 'KRW');
    expect(krw.locked).toBe(0);
    expect(krw.free).toBeCloseTo(1_000_000 - 99_049.5, 6);
    expect((await balanceOf(s.paper, 'BTC')).free).toBe(0.001);
    expect((await s.paper.fetchOrder({ identifier: 'l-1' })).state).toBe('done');
  });

  test('a crossing buy takes the asks at their prices, refunds the better price and rests the remainder', async () => {
    s = await setupPaper();
    const order = await accepted(s.paper.placeOrder(limit('l-2', 'buy', 100_100_000, 0.001)));
    expect(order.fills.map((f) => [f.price, f.volume])).toEqual([[100_000_000, 0.0003], [100_100_000, 0.0005]]);
    expect(order).toMatchObject({ state: 'open', executedVolume: 0.0008, remainingVolume: 0.0002 });
    const krw = await balanceOf(s.paper, 'KRW');
    expect(krw.locked).toBeCloseTo(0.0002 * 100_100_000 * 1.0005, 6);
    expect(krw.free + krw.locked).toBeCloseTo(1_000_000 - 80_050 * 1.0005, 6);
  });

  test('fetchOpenOrders checks the ticker and fills a resting sell that the price reached', async () => {
    s = await setupPaper();
    await accepted(s.paper.placeOrder({ market: 'KRW-BTC', side: 'buy', kind: 'market', identifier: 'm-1', amountKrw: 55_025 }));
    await accepted(s.paper.placeOrder(limit('l-3', 'sell', 101_000_000, 0.0005)));
    expect((await balanceOf(s.paper, 'BTC')).locked).toBe(0.0005);
    s.quotes.prices.set('KRW-BTC', 100_500_000);
    expect((await s.paper.fetchOpenOrders('KRW-BTC')).map((o) => o.identifier)).toEqual(['l-3']);
    s.quotes.prices.set('KRW-BTC', 101_000_000);
    expect(await s.paper.fetchOpenOrders()).toEqual([]);
    const done = await s.paper.fetchOrder({ identifier: 'l-3' });
    expect(done.state).toBe('done');
    expect(done.paidFee).toBeCloseTo(50_500 * 0.0005, 8);
    expect(await balanceOf(s.paper, 'BTC')).toMatchObject({ free: 0.00005, locked: 0 });
  });

  test('cancel releases the lock, and cancelling twice or an unknown order is refused', async () => {
    s = await setupPaper();
    const order = await accepted(s.paper.placeOrder(limit('l-4', 'buy', 99_000_000, 0.001)));
    const cancelled = await s.paper.cancelOrder({ id: order.id });
    expect(cancelled.state).toBe('cancelled');
    expect(await balanceOf(s.paper, 'KRW')).toMatchObject({ free: 1_000_000, locked: 0 });
    expect(await s.paper.fetchOpenOrders()).toEqual([]);
    expect(await s.paper.cancelOrder({ identifier: 'l-4' }).catch((e: unknown) => e)).toBeInstanceOf(InvalidOrder);
    expect(await s.paper.cancelOrder({ identifier: 'nope' }).catch((e: unknown) => e)).toBeInstanceOf(OrderNotFound);
    expect(await s.paper.fetchOrder({ id: 'nope' }).catch((e: unknown) => e)).toBeInstanceOf(OrderNotFound);
  });

  test('ioc cancels the unfilled rest, fok and post_only that cannot be honoured end cancelled unfilled', async () => {
    s = await setupPaper();
    const ioc = await accepted(s.paper.placeOrder(limit('t-ioc', 'buy', 100_000_000, 0.001, 'ioc')));
    expect(ioc).toMatchObject({ state: 'cancelled', executedVolume: 0.0003 });
    const fok = await accepted(s.paper.placeOrder(limit('t-fok', 'buy', 100_100_000, 0.001, 'fok')));
    expect(fok).toMatchObject({ state: 'cancelled', executedVolume: 0 });
    const post = await accepted(s.paper.placeOrder(limit('t-post', 'buy', 100_000_000, 0.0001, 'post_only')));
    expect(post).toMatchObject({ state: 'cancelled', executedVolume: 0 });
    expect((await balanceOf(s.paper, 'KRW')).locked).toBe(0);
    expect((await balanceOf(s.paper, 'BTC')).free).toBe(0.0003);
  });

  test('prices off the tick grid and totals under 5,000 KRW are refused', async () => {
    s = await setupPaper();
    expect(await s.paper.placeOrder(limit('l-tick', 'buy', 99_000_050, 0.001)).catch((e: unknown) => e)).toBeInstanceOf(InvalidOrder);
    expect(await s.paper.placeOrder(limit('l-min', 'buy', 99_000_000, 0.00005)).catch((e: unknown) => e)).toBeInstanceOf(MinimumTotal);
  });
});

describe('paper exchange restart', () => {
  test('a re-created exchange on the same db keeps balances, locks and orders and does not re-seed', async () => {
    s = await setupPaper();
    await accepted(s.paper.placeOrder({ market: 'KRW-BTC', side: 'buy', kind: 'market', identifier: 'r-1', amountKrw: 55_025 }));
    const resting = await accepted(s.paper.placeOrder(limit('r-2', 'buy', 99_000_000, 0.001)));
    const before = await s.paper.fetchBalances();
    const again = s.reopen(2, 5_000_000);
    expect(await again.fetchBalances()).toEqual(before);
    expect((await again.findOrderByIdentifier('r-1'))?.state).toBe('done');
    expect(await again.findOrderByIdentifier('never-placed')).toBeNull();
    expect((await again.cancelOrder({ id: resting.id })).state).toBe('cancelled');
    expect(await balanceOf(again, 'KRW')).toMatchObject({ locked: 0 });
    expect((await balanceOf(again, 'KRW')).free).toBeCloseTo(1_000_000 - 55_025 * 1.0005, 6);
  });

  test('the first start seeds KRW and the order rows carry the clock time', async () => {
    s = await setupPaper(777_000);
    expect(await s.paper.fetchBalances()).toEqual([{ currency: 'KRW', free: 777_000, locked: 0, avgBuyPrice: 0 }]);
    const order = await accepted(s.paper.placeOrder({ market: 'KRW-BTC', side: 'buy', kind: 'market', identifier: 'c-1', amountKrw: 5_000 }));
    expect(order.createdAt).toBe(NOW);
    expect(order.fills[0]!.time).toBe(NOW);
  });
});
