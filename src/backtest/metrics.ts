// Summary statistics of a backtest: win rate, PnL per market, return, drawdown, Sharpe of KST-daily returns, exposure, fees.
import type { EngineResult, TradeReason } from './engine.ts';

export type MarketSummary = { trades: number; wins: number; pnlKrw: number };

export type Summary = {
  markets: string[];
  /** Open time of the first and last candle walked, UTC epoch ms. */
  firstCandle: number;
  lastCandle: number;
  candles: number;
  dataIntervalMs: number;
  strategyIntervalMs: number;
  initialKrw: number;
  finalKrw: number;
  trades: number;
  wins: number;
  /** wins / trades, 0 without trades. */
  winRate: number;
  totalPnlKrw: number;
  /** totalPnlKrw / initialKrw. */
  returnPct: number;
  perMarket: Record<string, MarketSummary>;
  byReason: Partial<Record<TradeReason, number>>;
  maxDrawdownKrw: number;
  maxDrawdownPct: number;
  /** Mean / standard deviation of KST-daily equity returns × √365; 0 with fewer than two days or no variance. */
  sharpeDaily: number;
  days: number;
  exposure: number;
  feesKrw: number;
  lateInputs: number;
};

export type SummaryContext = {
  markets: readonly string[];
  candles: number;
  firstCandle: number;
  lastCandle: number;
  dataIntervalMs: number;
  strategyIntervalMs: number;
  initialKrw: number;
};

/** Sums in trade order (fixed), so the same trades always give the same bits. */
export function summarize(r: EngineResult, c: SummaryContext): Summary {
  const perMarket: Record<string, MarketSummary> = {};
  for (const m of c.markets) perMarket[m] = { trades: 0, wins: 0, pnlKrw: 0 };
  const byReason: Partial<Record<TradeReason, number>> = {};
  let total = 0;
  let wins = 0;
  for (const t of r.trades) {
    const pm = perMarket[t.market]!;
    pm.trades++;
    pm.pnlKrw += t.pnl;
    total += t.pnl;
    if (t.pnl > 0) (pm.wins++, wins++);
    byReason[t.reason] = (byReason[t.reason] ?? 0) + 1;
  }
  return {
    markets: [...c.markets],
    firstCandle: c.firstCandle,
    lastCandle: c.lastCandle,
    candles: c.candles,
    dataIntervalMs: c.dataIntervalMs,
    strategyIntervalMs: c.strategyIntervalMs,
    initialKrw: c.initialKrw,
    finalKrw: r.finalKrw,
    trades: r.trades.length,
    wins,
    winRate: r.trades.length === 0 ? 0 : wins / r.trades.length,
    totalPnlKrw: total,
    returnPct: total / c.initialKrw,
    perMarket,
    byReason,
    maxDrawdownKrw: r.maxDrawdownKrw,
    maxDrawdownPct: r.maxDrawdownPct,
    sharpeDaily: sharpe(dailyReturns(c.initialKrw, r.dailyEquity)),
    days: r.dailyEquity.length,
    exposure: exposure(r, c),
    feesKrw: r.feesKrw.reduce((a, b) => a + b, 0),
    lateInputs: r.lateInputs,
  };
}

/** Share of the span (first open → last open + interval) with at least one position open (union of holding intervals). */
export function exposure(r: EngineResult, c: SummaryContext): number {
  const span = c.lastCandle + c.dataIntervalMs - c.firstCandle;
  if (!(span > 0)) return 0;
  const spans = r.trades.map((t) => [t.entryTime, t.exitTime + c.dataIntervalMs] as const).sort((a, b) => a[0] - b[0]);
  let covered = 0;
  let start = Number.NaN;
  let end = Number.NEGATIVE_INFINITY;
  for (const [a, b] of spans) {
    if (a > end) {
      if (end > start) covered += end - start;
      start = a;
    }
    if (b > end) end = b;
  }
  if (end > start) covered += end - start;
  return covered / span;
}

export function dailyReturns(initialKrw: number, dailyEquity: readonly number[]): number[] {
  const out: number[] = [];
  let prev = initialKrw;
  for (const e of dailyEquity) {
    out.push(prev > 0 ? e / prev - 1 : 0);
    prev = e;
  }
  return out;
}

/** Annualised with √365 (crypto trades every day); sample standard deviation. */
export function sharpe(returns: readonly number[]): number {
  if (returns.length < 2) return 0;
  const mean = returns.reduce((a, b) => a + b, 0) / returns.length;
  const variance = returns.reduce((a, b) => a + (b - mean) ** 2, 0) / (returns.length - 1);
  return variance > 0 ? (mean / Math.sqrt(variance)) * Math.sqrt(365) : 0;
}
