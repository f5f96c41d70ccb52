// Paper exchange market orders: book walking, the 0.05% fee on both sides, dust, and Upbit's refusals.
import { afterEach, describe, expect, test } from 'bun:test';
import { DuplicateIdentifier, InsufficientFunds, InvalidOrder, MinimumTotal } from '../../src/exchange/errors.ts';
import { accepted, balanceOf, setupPaper, type PaperSetup } from './paper-setup.ts';

let s: PaperSetup;
afterEach(() => s?.handle.close());

const buy = (identifier: string, amountKrw: number) => ({ market: 'KRW-BTC', side: 'buy' as const, kind: 'market' as const, identifier, amountKrw });
const sell = (identifier: string, volume: number) => ({ market: 'KRW-BTC', side: 'sell' as const, kind: 'market' as const, identifier, volume });

describe('paper market buy', () => {
  test('walks three ask levels, pays the fee on top and ends cancelled with the KRW dust refunded', async () => {
    s = await setupPaper();
    const order = await accepted(s.paper.placeOrder(buy('b-1', 100_000)));
    // 30,000 (0.0003 @ 100.0M) + 50,050 (0.0005 @ 100.1M) + 0.0001991 @ 100.2M = 19,949.82 → 0.18 KRW dust
    expect(order.fills.map((f) => [f.price, f.volume])).toEqual([[100_000_000, 0.0003], [100_100_000, 0.0005], [100_200_000, 0.0001991]]);
    expect(order.state).toBe('cancelled');
    expect(order.executedVolume).toBe(0.0009991);
    const funds = order.fills.reduce((t, f) => t + f.funds, 0);
    expect(funds).toBeCloseTo(99_999.82, 6);
    expect(order.paidFee).toBeCloseTo(49.99991, 8);
    // Like Upbit's cancelled market buy: the snapshot shows what was released (dust + unused fee reservation).
    expect(order.locked).toBeCloseTo(0.18 + 0.00009, 8);
    expect(order.remainingFee).toBeCloseTo(0.00009, 8);
    expect(new Set(order.fills.map((f) => f.tradeId)).size).toBe(3);
    const krw = await balanceOf(s.paper, 'KRW');
    expect(krw.free).toBeCloseTo(1_000_000 - 99_999.82 - 49.99991, 6);
    expect(krw.locked).toBe(0);
    const btc = await balanceOf(s.paper, 'BTC');
    expect(btc.free).toBe(0.0009991);
    expect(btc.avgBuyPrice).toBeCloseTo(99_999.82 / 0.0009991, 4);
  });

  test('ends done when the book levels consume the amount to the last unit', async () => {
    s = await setupPaper();
    const order = await accepted(s.paper.placeOrder(buy('b-exact', 55_025))); // 30,000 + 0.00025 @ 100.1M
    expect(order.state).toBe('done');
    expect(order.executedVolume).toBe(0.00055);
    expect(order.paidFee).toBeCloseTo(27.5125, 8);
    expect((await balanceOf(s.paper, 'KRW')).free).toBeCloseTo(1_000_000 - 55_025 * 1.0005, 6);
  });

  test('a book that cannot absorb the amount within its levels is refused and moves nothing', async () => {
    s = await setupPaper(500_000_000);
    const err = await s.paper.placeOrder(buy('b-deep', 200_000_000)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidOrder);
    expect((await balanceOf(s.paper, 'KRW')).free).toBe(500_000_000);
    expect(await s.paper.findOrderByIdentifier('b-deep')).toBeNull();
  });

  test('under 5,000 KRW is MinimumTotal and amount plus fee above free KRW is InsufficientFunds', async () => {
    s = await setupPaper(10_000);
    expect(await s.paper.placeOrder(buy('b-small', 4_999)).catch((e: unknown) => e)).toBeInstanceOf(MinimumTotal);
    const short = await s.paper.placeOrder(buy('b-short', 10_000)).catch((e: unknown) => e);
    expect(short).toBeInstanceOf(InsufficientFunds);
    expect((short as Error).message).toContain('10005 KRW incl. the fee');
    await accepted(s.paper.placeOrder(buy('b-fits', 9_990)));
    expect((await balanceOf(s.paper, 'KRW')).free).toBeCloseTo(10_000 - 9_990 * 1.0005, 6);
  });

  test('an identifier can be used once, even after the first order finished', async () => {
    s = await setupPaper();
    await accepted(s.paper.placeOrder(buy('b-dup', 10_000)));
    const err = await s.paper.placeOrder(buy('b-dup', 20_000)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DuplicateIdentifier);
    expect((await s.paper.findOrderByIdentifier('b-dup'))?.price).toBe(10_000);
  });

  test('concurrent buys are serialised, so together they can never spend more than is free', async () => {
    s = await setupPaper(15_000);
    const results = await Promise.allSettled([s.paper.placeOrder(buy('c-1', 7_000)), s.paper.placeOrder(buy('c-2', 7_000)), s.paper.placeOrder(buy('c-3', 7_000))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect((results[2] as PromiseRejectedResult).reason).toBeInstanceOf(InsufficientFunds);
    expect((await balanceOf(s.paper, 'KRW')).free).toBeCloseTo(15_000 - 14_000 * 1.0005, 6);
  });

  test('market orders are never filled through the private methods of the quotes source', async () => {
    s = await setupPaper();
    await accepted(s.paper.placeOrder(buy('b-q', 10_000)));
    expect(s.quotes.calls).toEqual(['fetchOrderbooks KRW-BTC']);
  });
});

describe('paper market sell', () => {
  test('walks the bids and takes the fee out of the proceeds', async () => {
    s = await setupPaper();
    await accepted(s.paper.placeOrder(buy('b-2', 100_000)));
    const before = (await balanceOf(s.paper, 'KRW')).free;
    const order = await accepted(s.paper.placeOrder(sell('s-1', 0.0005)));
    // 0.0002 @ 99.9M = 19,980 + 0.0003 @ 99.8M = 29,940 → 49,920; fee 24.96
    expect(order.state).toBe('done');
    expect(order.fills.map((f) => [f.price, f.volume])).toEqual([[99_900_000, 0.0002], [99_800_000, 0.0003]]);
    expect(order.paidFee).toBeCloseTo(24.96, 8);
    expect((await balanceOf(s.paper, 'KRW')).free - before).toBeCloseTo(49_920 - 24.96, 6);
    expect((await balanceOf(s.paper, 'BTC')).free).toBe(0.0004991);
  });

  test('selling more than is held is InsufficientFunds and under 5,000 KRW of proceeds is MinimumTotal', async () => {
    s = await setupPaper();
    await accepted(s.paper.placeOrder(buy('b-3', 10_000)));
    expect(await s.paper.placeOrder(sell('s-big', 0.001)).catch((e: unknown) => e)).toBeInstanceOf(InsufficientFunds);
    expect(await s.paper.placeOrder(sell('s-tiny', 0.00004)).catch((e: unknown) => e)).toBeInstanceOf(MinimumTotal);
    expect((await balanceOf(s.paper, 'BTC')).locked).toBe(0);
  });
});
