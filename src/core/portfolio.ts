// Fills → positions (average entry from real fills, partial fills included), realised/unrealised PnL, equity, win rate, daily PnL.
import { kstDayOf } from './risk.ts';
import { FEE_RATE } from './ticks.ts';
import type { MarketCode, Position, Side } from './types.ts';

/** One executed fill with the fee it paid (KRW). funds defaults to price × volume. */
export type TradeFill = {
  market: MarketCode;
  side: Side;
  price: number;
  volume: number;
  feeKrw: number;
  time: number;
  funds?: number;
};

/** A round trip: the position went from flat to flat. */
export type ClosedTrade = {
  market: MarketCode;
  openedAt: number;
  closedAt: number;
  volume: number;
  avgEntryPrice: number;
  avgExitPrice: number;
  buyCostKrw: number;
  buyFeeKrw: number;
  sellProceedsKrw: number;
  sellFeeKrw: number;
  pnlKrw: number;
};

/** PnL of a trade = sell proceeds − sell fee − (buy cost + buy fee). */
export const tradePnl = (sellProceedsKrw: number, sellFeeKrw: number, buyCostKrw: number, buyFeeKrw: number): number =>
  sellProceedsKrw - sellFeeKrw - (buyCostKrw + buyFeeKrw);

/** Volume at or below this counts as flat (Upbit's 8-decimal precision). */
export const DUST_VOLUME = 1e-8;

type Book = Position & {
  boughtVolume: number;
  boughtCost: number;
  boughtFee: number;
  soldVolume: number;
  sellProceeds: number;
  sellFee: number;
};

export type Portfolio = {
  /** Applies one fill; returns the round trip it completed, if any. A sell with no position is ignored. */
  apply(fill: TradeFill): ClosedTrade | null;
  position(market: MarketCode): Position | null;
  positions(): Position[];
  closedTrades(): readonly ClosedTrade[];
};

export function createPortfolio(): Portfolio {
  const open = new Map<MarketCode, Book>();
  const closed: ClosedTrade[] = [];

  function buy(f: TradeFill, funds: number): null {
    const p = open.get(f.market) ?? newBook(f.market, f.time);
    p.volume += f.volume;
    p.costKrw += funds;
    p.buyFeeKrw += f.feeKrw;
    p.avgEntryPrice = p.costKrw / p.volume;
    p.boughtVolume += f.volume;
    p.boughtCost += funds;
    p.boughtFee += f.feeKrw;
    open.set(f.market, p);
    return null;
  }

  function sell(f: TradeFill, funds: number): ClosedTrade | null {
    const p = open.get(f.market);
    if (!p) return null;
    const sold = Math.min(f.volume, p.volume);
    const share = sold / p.volume;
    p.costKrw -= p.costKrw * share;
    p.buyFeeKrw -= p.buyFeeKrw * share;
    p.volume -= sold;
    p.soldVolume += sold;
    p.sellProceeds += funds;
    p.sellFee += f.feeKrw;
    if (p.volume > DUST_VOLUME) return null;
    open.delete(f.market);
    const trade: ClosedTrade = {
      market: p.market,
      openedAt: p.openedAt,
      closedAt: f.time,
      volume: p.soldVolume,
      avgEntryPrice: p.boughtCost / p.boughtVolume,
      avgExitPrice: p.sellProceeds / p.soldVolume,
      buyCostKrw: p.boughtCost,
      buyFeeKrw: p.boughtFee,
      sellProceedsKrw: p.sellProceeds,
      sellFeeKrw: p.sellFee,
      pnlKrw: tradePnl(p.sellProceeds, p.sellFee, p.boughtCost, p.boughtFee),
    };
    closed.push(trade);
    return trade;
  }

  const toPosition = (p: Book): Position => ({
    market: p.market,
    volume: p.volume,
    avgEntryPrice: p.avgEntryPrice,
    costKrw: p.costKrw,
    buyFeeKrw: p.buyFeeKrw,
    openedAt: p.openedAt,
  });

  return {
    apply(f) {
      const funds = f.funds ?? f.price * f.volume;
      return f.side === 'buy' ? buy(f, funds) : sell(f, funds);
    },
    position(market) {
      const p = open.get(market);
      return p ? toPosition(p) : null;
    },
    positions: () => [...open.values()].map(toPosition),
    closedTrades: () => closed,
  };
}

function newBook(market: MarketCode, time: number): Book {
  return {
    market,
    volume: 0,
    avgEntryPrice: 0,
    costKrw: 0,
    buyFeeKrw: 0,
    openedAt: time,
    boughtVolume: 0,
    boughtCost: 0,
    boughtFee: 0,
    soldVolume: 0,
    sellProceeds: 0,
    sellFee: 0,
  };
}

/** What selling now at `price` would realise: value − estimated sell fee − (remaining cost + its buy fee). */
export const unrealisedPnl = (p: Position, price: number, feeRate = FEE_RATE): number =>
  tradePnl(price * p.volume, price * p.volume * feeRate, p.costKrw, p.buyFeeKrw);

/** Free KRW plus every position marked at its price (the entry price when no price is known). */
export function equity(freeKrw: number, positions: readonly Position[], prices: ReadonlyMap<MarketCode, number>): number {
  let sum = freeKrw;
  for (const p of positions) sum += (prices.get(p.market) ?? p.avgEntryPrice) * p.volume;
  return sum;
}

export const realisedPnl = (trades: readonly ClosedTrade[]): number => trades.reduce((sum, t) => sum + t.pnlKrw, 0);

/** Share of trades with a positive PnL; NaN without trades. */
export const winRate = (trades: readonly ClosedTrade[]): number =>
  trades.length === 0 ? Number.NaN : trades.filter((t) => t.pnlKrw > 0).length / trades.length;

/** Realised PnL per Asia/Seoul day of the closing time, days ascending. */
export function dailyPnl(trades: readonly ClosedTrade[]): Array<{ day: string; pnlKrw: number }> {
  const byDay = new Map<string, number>();
  for (const t of trades) {
    const day = kstDayOf(t.closedAt);
    byDay.set(day, (byDay.get(day) ?? 0) + t.pnlKrw);
  }
  return [...byDay.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([day, pnlKrw]) => ({ day, pnlKrw }));
}

/** Realised PnL of one KST day ('YYYY-MM-DD'): what the daily loss limit compares. */
export const realisedPnlOnDay = (trades: readonly ClosedTrade[], day: string): number =>
  trades.reduce((sum, t) => (kstDayOf(t.closedAt) === day ? sum + t.pnlKrw : sum), 0);
