// priceExternalExit: the owner's sells taken oldest first up to the missing volume, fees pro-rated, PnL over the sold part.
import { describe, expect, test } from 'bun:test';
import { priceExternalExit } from '../../src/bot/external-exit.ts';
import { computePnl } from '../../src/bot/position-settle.ts';
import type { Fill, Order } from '../../src/core/types.ts';

const T0 = Date.UTC(2025, 8, 2, 3, 0, 0);
const FEE_RATE = 0.0005;

const fill = (tradeId: string, price: number, volume: number, time: number, side: Fill['side'] = 'sell'): Fill => ({
  tradeId, price, volume, funds: price * volume, time, side,
});

function sellOrder(id: string, createdAt: number, fills: Fill[], paidFee: number): Order {
  const executedVolume = fills.reduce((s, f) => s + f.volume, 0);
  return {
    id, identifier: null, market: 'KRW-XRP', side: 'sell', kind: 'market', state: 'done', price: null, volume: executedVolume,
    executedVolume, remainingVolume: 0, paidFee, reservedFee: 0, remainingFee: 0, locked: 0, tradesCount: fills.length,
    timeInForce: null, createdAt, fills, raw: null,
  };
}

/** Bought 10 XRP for 40,000 KRW + 20 KRW fee; nothing sold by the bot yet. */
const POSITION = { volume: 10, exitVolume: 0, entryCostKrw: 40_000, entryFeeKrw: 20, exitProceedsKrw: null, exitFeeKrw: null };

describe('priceExternalExit', () => {
  test('takes the oldest sells first and stops at the missing volume, pro-rating the last order\'s paid fee', () => {
    const newer = sellOrder('b', T0 + 2_000, [fill('b1', 4_400, 10, T0 + 2_000)], 22);
    const older = sellOrder('a', T0 + 1_000, [fill('a1', 4_200, 4, T0 + 1_000), fill('a2', 4_100, 2, T0 + 1_001)], 12.3);
    const exit = priceExternalExit(POSITION, [newer, older], 10, FEE_RATE)!;
    expect(exit.orderIds).toEqual(['a', 'b']);
    expect(exit.soldVolume).toBeCloseTo(10, 12);
    const proceeds = 4_200 * 4 + 4_100 * 2 + 4_400 * 4;
    const fee = 12.3 + 22 * (4 / 10);
    expect(exit.proceedsKrw).toBeCloseTo(proceeds, 9);
    expect(exit.feeKrw).toBeCloseTo(fee, 9);
    expect(exit.isFeeEstimated).toBe(false);
    expect(exit.avgPrice).toBeCloseTo(proceeds / 10, 9);
    const expected = computePnl({ entryCostKrw: 40_000, entryFeeKrw: 20, proceedsKrw: proceeds, exitFeeKrw: fee });
    expect(exit.pnlKrw).toBeCloseTo(expected.pnlKrw, 9);
    expect(exit.pnlRate).toBeCloseTo(expected.pnlRate, 12);
  });

  test('a partial sale pro-rates the entry cost and fee to the volume sold', () => {
    const exit = priceExternalExit(POSITION, [sellOrder('a', T0, [fill('a1', 4_500, 4, T0)], 9)], 4, FEE_RATE)!;
    expect(exit.exitVolume).toBeCloseTo(4, 12);
    expect(exit.pnlKrw).toBeCloseTo(4_500 * 4 - 9 - (40_000 + 20) * 0.4, 9);
    expect(exit.pnlRate).toBeCloseTo(exit.pnlKrw / ((40_000 + 20) * 0.4), 12);
  });

  test('sells short of the missing volume (coins that left without a sale) price only what was sold', () => {
    const exit = priceExternalExit(POSITION, [sellOrder('a', T0, [fill('a1', 3_900, 5, T0)], 9.75)], 10, FEE_RATE)!;
    expect(exit.soldVolume).toBeCloseTo(5, 12);
    expect(exit.pnlKrw).toBeCloseTo(3_900 * 5 - 9.75 - (40_000 + 20) * 0.5, 9);
  });

  test('an order with no paid fee is charged funds × the fee rate, and says so', () => {
    const exit = priceExternalExit(POSITION, [sellOrder('a', T0, [fill('a1', 4_000, 10, T0)], 0)], 10, FEE_RATE)!;
    expect(exit.feeKrw).toBeCloseTo(40_000 * FEE_RATE, 9);
    expect(exit.isFeeEstimated).toBe(true);
  });

  test('an earlier partial exit of the bot is part of the exit and of the PnL', () => {
    const partlySold = { ...POSITION, exitVolume: 4, exitProceedsKrw: 16_800, exitFeeKrw: 8.4 };
    const exit = priceExternalExit(partlySold, [sellOrder('a', T0, [fill('a1', 4_000, 6, T0)], 12)], 6, FEE_RATE)!;
    expect(exit).toMatchObject({ soldVolume: 6, exitVolume: 10, exitProceedsKrw: 16_800 + 24_000 });
    expect(exit.exitFeeKrw).toBeCloseTo(8.4 + 12, 9);
    expect(exit.exitPrice).toBeCloseTo(40_800 / 10, 9);
    expect(exit.pnlKrw).toBeCloseTo(40_800 - 20.4 - 40_020, 9);
  });

  test('no sell fill means no price: buy fills and empty orders are ignored', () => {
    const buyOnly = sellOrder('a', T0, [fill('a1', 4_000, 10, T0, 'buy')], 20);
    expect(priceExternalExit(POSITION, [buyOnly, sellOrder('b', T0, [], 0)], 10, FEE_RATE)).toBeNull();
    expect(priceExternalExit(POSITION, [], 10, FEE_RATE)).toBeNull();
  });
});
