import { describe, expect, test } from 'bun:test';
import { createPortfolio, dailyPnl, equity, realisedPnl, realisedPnlOnDay, unrealisedPnl, winRate, type ClosedTrade } from '../../src/core/portfolio.ts';

const T = Date.UTC(2025, 8, 2, 1);
const fee = (krw: number) => krw * 0.0005;

describe('createPortfolio', () => {
  test('partial buy fills make one position at the volume-weighted average price', () => {
    const p = createPortfolio();
    p.apply({ market: 'KRW-A', side: 'buy', price: 100, volume: 300, feeKrw: fee(30_000), time: T });
    p.apply({ market: 'KRW-A', side: 'buy', price: 110, volume: 100, feeKrw: fee(11_000), time: T + 1 });
    expect(p.position('KRW-A')).toEqual({
      market: 'KRW-A', volume: 400, avgEntryPrice: 102.5, costKrw: 41_000, buyFeeKrw: fee(41_000), openedAt: T,
    });
  });

  test('a round trip realises proceeds − sell fee − (buy cost + buy fee), across partial sells', () => {
    const p = createPortfolio();
    p.apply({ market: 'KRW-A', side: 'buy', price: 100, volume: 1000, feeKrw: 50, time: T });
    expect(p.apply({ market: 'KRW-A', side: 'sell', price: 103, volume: 400, feeKrw: fee(41_200), time: T + 10 })).toBeNull();
    expect(p.position('KRW-A')).toMatchObject({ volume: 600, costKrw: 60_000, buyFeeKrw: 30 });
    const trade = p.apply({ market: 'KRW-A', side: 'sell', price: 104, volume: 600, feeKrw: fee(62_400), time: T + 20 });
    expect(trade).toMatchObject({ volume: 1000, avgEntryPrice: 100, sellProceedsKrw: 103_600, closedAt: T + 20 });
    expect(trade!.avgExitPrice).toBeCloseTo(103.6, 10);
    expect(trade!.pnlKrw).toBeCloseTo(103_600 - fee(103_600) - 100_050, 9);
    expect(p.position('KRW-A')).toBeNull();
    expect(p.closedTrades()).toHaveLength(1);
  });

  test('a sell without a position is ignored', () => {
    expect(createPortfolio().apply({ market: 'KRW-A', side: 'sell', price: 1, volume: 1, feeKrw: 0, time: T })).toBeNull();
  });
});

describe('PnL figures', () => {
  const trade = (closedAt: number, pnlKrw: number) => ({ closedAt, pnlKrw }) as ClosedTrade;

  test('unrealised PnL deducts the sell fee a sale would pay, and equity marks positions at their price', () => {
    const pos = { market: 'KRW-A', volume: 1000, avgEntryPrice: 100, costKrw: 100_000, buyFeeKrw: 50, openedAt: T };
    expect(unrealisedPnl(pos, 102)).toBeCloseTo(102_000 - 51 - 100_050, 9);
    expect(equity(5_000, [pos], new Map([['KRW-A', 102]]))).toBe(107_000);
    expect(equity(5_000, [pos], new Map())).toBe(105_000);
  });

  test('win rate, total and daily PnL group by the KST day of the exit', () => {
    const trades = [trade(Date.UTC(2025, 8, 2, 14, 59), -100), trade(Date.UTC(2025, 8, 2, 15), 300), trade(Date.UTC(2025, 8, 3, 1), 50)];
    expect(winRate(trades)).toBeCloseTo(2 / 3, 12);
    expect(Number.isNaN(winRate([]))).toBe(true);
    expect(realisedPnl(trades)).toBe(250);
    expect(dailyPnl(trades)).toEqual([{ day: '2025-09-02', pnlKrw: -100 }, { day: '2025-09-03', pnlKrw: 350 }]);
    expect(realisedPnlOnDay(trades, '2025-09-03')).toBe(350);
  });
});
