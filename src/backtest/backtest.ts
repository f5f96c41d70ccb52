// One backtest from input specs to the report object: load and merge the markets, run the engine, summarise.
import type { StrategySettings } from '../core/strategy.ts';
import { CandleDataError, detectIntervalMs, sliceByTime, type CandleColumns } from '../candles/columns.ts';
import { runEngine, strategyIntervalFor, type Trade } from './engine.ts';
import { loadMarket } from './load-candles.ts';
import { summarize, type Summary } from './metrics.ts';
import { mergeMarkets, type Tape } from './tape.ts';

export type BacktestInputs = {
  /** The --data specs as given. */
  data: string[];
  markets: string[];
  columns: CandleColumns[];
  tape: Tape;
  dataIntervalMs: number;
  from: number | null;
  to: number | null;
};

export type BacktestSettings = StrategySettings & { initialKrw: number };

export type BacktestReport = {
  settings: BacktestSettings & { data: string[]; from: number | null; to: number | null; dataIntervalMs: number; strategyIntervalMs: number };
  summary: Summary;
  trades: Trade[];
  equity: Array<{ time: number; equity: number }>;
};

/** Loads every spec, keeps from ≤ open time < to, checks one interval and distinct markets, merges in time order. */
export function loadInputs(data: string[], o: { from?: number | null; to?: number | null; cacheDir?: string } = {}): BacktestInputs {
  if (data.length === 0) throw new CandleDataError('Nothing to backtest: give at least one --data FILE');
  const loaded = data.map((d) => loadMarket(d, { cacheDir: o.cacheDir }));
  const seen = new Set<string>();
  for (const l of loaded) {
    if (seen.has(l.market)) throw new CandleDataError(`Cannot backtest ${l.market} twice: ${l.path} repeats a market`);
    seen.add(l.market);
  }
  return inputsFromColumns(data, loaded.map((l) => l.market), loaded.map((l) => l.columns), o);
}

/** The same from already parsed columns (tests, benchmarks): window, one interval, merge. */
export function inputsFromColumns(
  data: string[],
  markets: string[],
  all: CandleColumns[],
  o: { from?: number | null; to?: number | null } = {},
): BacktestInputs {
  const perMarket = all.map((c) => detectIntervalMs(c));
  const intervals = [...new Set(perMarket.filter((x) => Number.isFinite(x)))];
  if (intervals.length > 1) {
    throw new CandleDataError(`Cannot mix candle intervals: ${markets.map((m, i) => `${m} ${perMarket[i]! / 60_000} min`).join(', ')}`);
  }
  const from = o.from ?? null;
  const to = o.to ?? null;
  const columns = all.map((c) => sliceByTime(c, from ?? Number.NEGATIVE_INFINITY, to ?? Number.POSITIVE_INFINITY));
  const tape = mergeMarkets(columns);
  if (tape.n === 0) throw new CandleDataError('Nothing to backtest: no candle lies between --from and --to');
  return { data, markets, columns, tape, dataIntervalMs: intervals[0] ?? 60_000, from, to };
}

export function runBacktest(inputs: BacktestInputs, settings: BacktestSettings): BacktestReport {
  const strategyIntervalMs = strategyIntervalFor(inputs.dataIntervalMs);
  const { initialKrw, ...strategy } = settings;
  const r = runEngine(inputs.tape, { markets: inputs.markets, settings: strategy, initialKrw, strategyIntervalMs });
  const { tape } = inputs;
  const summary = summarize(r, {
    markets: inputs.markets,
    candles: tape.n,
    firstCandle: tape.time[0]!,
    lastCandle: tape.time[tape.n - 1]!,
    dataIntervalMs: inputs.dataIntervalMs,
    strategyIntervalMs,
    initialKrw,
  });
  return {
    settings: { ...settings, data: inputs.data, from: inputs.from, to: inputs.to, dataIntervalMs: inputs.dataIntervalMs, strategyIntervalMs },
    summary,
    trades: r.trades,
    equity: r.equity.time.map((time, i) => ({ time, equity: r.equity.value[i]! })),
  };
}

/** The --json text: 2-space JSON with a final newline; byte-identical for the same inputs and settings. */
export const toReportJson = (r: BacktestReport): string => `${JSON.stringify(r, null, 2)}\n`;
