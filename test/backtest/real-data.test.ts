// The backtester over the real 1-minute data of the five recorded markets (full shared files, else the bundled subset):
// bookkeeping invariants, and the same decisions as the live usage of the strategy (external fills and confirmations).
import { describe, expect, test } from 'bun:test';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadInputs, runBacktest, type BacktestInputs } from '../../src/backtest/backtest.ts';
import { readEvents } from '../../src/core/decide-events.ts';
import { createStrategy } from '../../src/core/decide.ts';
import { BUNDLED_DATA_DIR, DEFAULT_DATA_DIR } from '../../src/sim/market/csv-loader.ts';
import { SETTINGS } from './tables.ts';

const BASES = ['BTC', 'ETH', 'XRP', 'SOL', 'DOGE'];
const shared = existsSync(join(DEFAULT_DATA_DIR, 'BTC_KRW_1m.csv'));
const files = BASES.map((b) => (shared ? join(DEFAULT_DATA_DIR, `${b}_KRW_1m.csv`) : join(BUNDLED_DATA_DIR, `${b}_KRW_1m.csv.gz`)));
const inputs = loadInputs(files);
const settings = { ...SETTINGS, trailingStop: 0.01, maxHoldMinutes: 240 };
const report = runBacktest(inputs, settings);

describe(`real 1-minute data of five markets (${shared ? 'shared files' : 'bundled subset'})`, () => {
  test('total PnL is the sum of the trades, and the final equity is the start plus it', () => {
    const s = report.summary;
    expect(s.candles).toBe(inputs.columns.reduce((n, c) => n + c.length, 0));
    expect(s.trades).toBeGreaterThan(shared ? 20 : 0);
    expect(s.totalPnlKrw).toBeCloseTo(report.trades.reduce((a, t) => a + t.pnl, 0), 6);
    expect(s.finalKrw).toBeCloseTo(settings.initialKrw + s.totalPnlKrw, 4);
    expect(Object.values(s.perMarket).reduce((a, m) => a + m.trades, 0)).toBe(s.trades);
    expect(s.maxDrawdownPct).toBeGreaterThanOrEqual(0);
    expect(s.exposure).toBeGreaterThan(0);
    expect(s.exposure).toBeLessThanOrEqual(1);
  });

  test('every trade is consistent with its prices, fees, levels and time order', () => {
    const fee = settings.feeRate;
    const open = new Map<number, number>();
    for (const t of report.trades) {
      expect(t.volume * t.entryPrice).toBeCloseTo(settings.investmentKrw, 6);
      const proceeds = t.exitPrice * t.volume;
      expect(t.pnl).toBeCloseTo(proceeds - proceeds * fee - (settings.investmentKrw + settings.investmentKrw * fee), 6);
      expect(t.exitTime).toBeGreaterThanOrEqual(t.entryTime);
      expect(t.entryTime % 60_000).toBe(0);
      if (t.reason === 'take-profit') expect(t.exitPrice).toBeGreaterThanOrEqual(t.entryPrice * (1 + settings.profitRate) - 1e-9);
      if (t.reason === 'stop-loss') expect(t.exitPrice).toBeLessThanOrEqual(t.entryPrice * (1 + settings.lossRate) + 1e-9);
      if (t.reason === 'max-hold') expect(t.exitTime - t.entryTime).toBeGreaterThanOrEqual(240 * 60_000);
      open.set(t.entryTime, (open.get(t.entryTime) ?? 0) + 1);
    }
    // never more than maxPositions held at once
    const edges = report.trades.flatMap((t) => [[t.entryTime, 1], [t.exitTime + 1, -1]] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let held = 0;
    for (const [, d] of edges) expect((held += d)).toBeLessThanOrEqual(settings.maxPositions);
  });

  test('the live usage of the strategy (external fills, confirmations) makes the same entries and exits', () => {
    const live = runLive(inputs);
    const bt = report.trades.filter((t) => t.reason !== 'end-of-data');
    expect(live.entries).toEqual(report.trades.map((t): [string, number] => [t.market, t.entryTime]).sort(byTime));
    // Exit prices differ (a price update sells at that price, a candle at the level), exit times and reasons do not.
    expect(live.exits).toEqual(bt.map((t) => [t.market, t.exitTime, t.reason]));
  });
});

const byTime = (a: readonly [string, number], b: readonly [string, number]) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1);

/**
 * The live bot's way: the 5-minute timer evaluates closes (closeUpTo), an entry intent is confirmed with a fill at
 * the market's next open, exits come from price updates (price(): open, low, high, close of each minute) and are
 * confirmed at that price, and closed candles are fed for aggregation only.
 */
function runLive(inp: BacktestInputs) {
  const { initialKrw, ...strategy } = settings;
  const s = createStrategy(strategy, { markets: inp.markets, fills: 'external', initialKrw });
  const { tape } = inp;
  const entries: Array<[string, number]> = [];
  const exits: Array<[string, number, string]> = [];
  const sell = (m: number, t: number) => {
    for (const e of readEvents(s.events, inp.markets)) {
      if (e.kind !== 'exit') continue;
      s.confirmExit(m, e.price, e.price * e.volume * strategy.feeRate, t);
      exits.push([e.market, t, e.reason]);
    }
  };
  for (let k = 0; k < tape.n; k++) {
    const m = tape.market[k]!;
    const t = tape.time[k]!;
    s.closeUpTo(t);
    if (s.position(m)?.state === 'pending') {
      const price = tape.open[k]!;
      s.confirmEntry(m, price, strategy.investmentKrw / price, strategy.investmentKrw * strategy.feeRate, t);
      entries.push([inp.markets[m]!, t]);
    }
    for (const p of [tape.open[k]!, tape.low[k]!, tape.high[k]!, tape.close[k]!]) if (s.price(m, t, p) !== 0) sell(m, t);
    s.candle(m, t, tape.open[k]!, tape.high[k]!, tape.low[k]!, tape.close[k]!, tape.volume[k]!);
  }
  return { entries: entries.sort(byTime), exits };
}
