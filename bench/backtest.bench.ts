// Backtester throughput: 1-minute candles per second end to end (parse + merge + aggregate + decide) and in the decision loop alone.
// `bun bench/backtest.bench.ts [--quick]`; bench/run.ts picks up `bench`. Data: the shared 5 × 33 days, and a generated year of 50 markets.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inputsFromColumns, runBacktest } from '../src/backtest/backtest.ts';
import { parseCandleCsv } from '../src/candles/csv.ts';
import { runEngine } from '../src/backtest/engine.ts';
import { DEFAULT_STRATEGY_SETTINGS } from '../src/core/strategy.ts';
import { BUNDLED_DATA_DIR, DEFAULT_DATA_DIR } from '../src/sim/market/csv-loader.ts';
import { existsSync } from 'node:fs';
import type { BenchResult } from './lib.ts';

const E2E_GOAL = 2_000_000;
const LOOP_GOAL = 50_000_000;
const SETTINGS = { ...DEFAULT_STRATEGY_SETTINGS, trailingStop: 0.01, initialKrw: 10_000_000 };
const MIN = 60_000;

/** One market's minutes as CSV bytes, written digit by digit (a seeded walk, ~2% missing minutes, rare volume bursts). */
function generateCsv(minutes: number, seed: number): Uint8Array {
  let x = seed >>> 0 || 1;
  const rnd = () => ((x = (Math.imul(x, 1_664_525) + 1_013_904_223) >>> 0) / 4_294_967_296);
  const buf = new Uint8Array(64 + minutes * 72);
  let p = 0;
  const put = (s: string) => { for (let i = 0; i < s.length; i++) buf[p++] = s.charCodeAt(i); };
  const int = (n: number) => {
    const s = String(n);
    for (let i = 0; i < s.length; i++) buf[p++] = s.charCodeAt(i);
  };
  const fixed = (v: number, digits: number) => { // v ≥ 0, `digits` decimals
    const scaled = Math.round(v * 10 ** digits);
    int(Math.floor(scaled / 10 ** digits));
    buf[p++] = 46;
    const frac = String(scaled % 10 ** digits).padStart(digits, '0');
    put(frac);
  };
  put('timestamp,open,high,low,close,volume\n');
  let price = 1_000 + seed * 37;
  const start = Date.UTC(2025, 0, 1);
  for (let i = 0; i < minutes; i++) {
    if (rnd() < 0.02) continue;
    const open = price;
    const close = Math.max(1, Math.round(open * (1 + (rnd() - 0.5) * 0.004) * 10) / 10);
    price = close;
    int(start + i * MIN);
    buf[p++] = 44; fixed(open, 1);
    buf[p++] = 44; fixed(Math.max(open, close) * (1 + rnd() * 0.001), 1);
    buf[p++] = 44; fixed(Math.min(open, close) * (1 - rnd() * 0.001), 1);
    buf[p++] = 44; fixed(close, 1);
    buf[p++] = 44; fixed(rnd() < 0.002 ? 20 + rnd() * 50 : 1 + rnd(), 4);
    buf[p++] = 10;
  }
  return buf.subarray(0, p);
}

type Run = { candles: number; e2eSeconds: number; loopSeconds: number; trades: number; pnl: number };

/** Parse every file, merge, run; then the decision loop alone again over the merged tape. */
function measure(files: Uint8Array[], markets: string[]): Run {
  const t0 = performance.now();
  const columns = files.map((f, i) => parseCandleCsv(f, { source: markets[i] }));
  const inputs = inputsFromColumns(markets, markets, columns);
  const report = runBacktest(inputs, SETTINGS);
  const e2eSeconds = (performance.now() - t0) / 1000;
  const { initialKrw, ...strategy } = SETTINGS;
  const t1 = performance.now();
  runEngine(inputs.tape, { markets, settings: strategy, initialKrw, strategyIntervalMs: 300_000 });
  const loopSeconds = (performance.now() - t1) / 1000;
  return { candles: inputs.tape.n, e2eSeconds, loopSeconds, trades: report.summary.trades, pnl: report.summary.totalPnlKrw };
}

function best(runs: Run[]) {
  const e2e = Math.max(...runs.map((r) => r.candles / r.e2eSeconds));
  const loop = Math.max(...runs.map((r) => r.candles / r.loopSeconds));
  const list = (f: (r: Run) => number) => runs.map((r) => (f(r) / 1e6).toFixed(1)).join('/');
  return { e2e, loop, e2eList: list((r) => r.candles / r.e2eSeconds), loopList: list((r) => r.candles / r.loopSeconds) };
}

function sharedFiles(): { files: Uint8Array[]; markets: string[]; source: string } {
  const bases = ['BTC', 'ETH', 'XRP', 'SOL', 'DOGE'];
  const shared = existsSync(join(DEFAULT_DATA_DIR, 'BTC_KRW_1m.csv'));
  const files = bases.map((b) =>
    shared ? new Uint8Array(readFileSync(join(DEFAULT_DATA_DIR, `${b}_KRW_1m.csv`))) : Bun.gunzipSync(new Uint8Array(readFileSync(join(BUNDLED_DATA_DIR, `${b}_KRW_1m.csv.gz`)))),
  );
  return { files, markets: bases.map((b) => `KRW-${b}`), source: shared ? 'shared 5 markets × 33 days' : 'bundled 5 markets × 3 days' };
}

const fmt = (x: number) => `${(x / 1e6).toFixed(1)} M/s`;

export const bench = {
  name: 'backtest',
  async run(ctx: { isQuick: boolean }): Promise<BenchResult[]> {
    const shared = sharedFiles();
    const sharedRuns = [0, 1, 2].map(() => measure(shared.files, shared.markets));
    const sb = best(sharedRuns);
    const days = ctx.isQuick ? 30 : 365;
    const markets = Array.from({ length: 50 }, (_, m) => `KRW-G${String(m).padStart(2, '0')}`);
    const files = markets.map((_, m) => generateCsv(days * 1440, m + 1));
    const mb = files.reduce((n, f) => n + f.length, 0) / 2 ** 20;
    const genRuns = [0, 1, ...(ctx.isQuick ? [2] : [])].map(() => measure(files, markets));
    const gb = best(genRuns);
    const g = genRuns[0]!;
    const where = `${g.candles.toLocaleString('en-US')} candles (50 markets × ${days} days generated, ${mb.toFixed(0)} MB CSV), ${g.trades} trades`;
    return [
      {
        name: 'backtest_candles_per_s_e2e',
        value: Math.round(gb.e2e),
        unit: 'candles/s',
        baseline: `goal ≥ ${E2E_GOAL.toLocaleString('en-US')} on one core`,
        meetsGoal: gb.e2e >= E2E_GOAL,
        note: `parse CSV bytes + merge + aggregate + decide + report; ${where}; best of ${genRuns.length} (${gb.e2eList} M/s). ${shared.source}: ${fmt(sb.e2e)} (${sb.e2eList})`,
      },
      {
        name: 'backtest_candles_per_s_loop',
        value: Math.round(gb.loop),
        unit: 'candles/s',
        baseline: `goal ≥ ${LOOP_GOAL.toLocaleString('en-US')} on one core`,
        meetsGoal: gb.loop >= LOOP_GOAL,
        note: `engine walk over the merged tape (core/decide + trade/equity recording); ${where}; best of ${genRuns.length} (${gb.loopList} M/s). ${shared.source}: ${fmt(sb.loop)} (${sb.loopList})`,
      },
    ];
  },
};

if (import.meta.main) {
  for (const r of await bench.run({ isQuick: process.argv.includes('--quick') })) {
    console.log(`${r.name}: ${r.value.toLocaleString('en-US')} ${r.unit} (${r.baseline}: ${r.meetsGoal ? 'met' : 'NOT met'})\n  ${r.note}`);
  }
}
