// `bun run backtest -- --data FILE[:MARKET][@±HH:MM] … [--from] [--to] [--json OUT] [--html OUT] [--sweep SPEC] [overrides]`.
import { writeFileSync } from 'node:fs';
import { loadConfig } from '../config.ts';
import { toStrategySettings } from '../core/strategy.ts';
import { BacktestArgsError, OVERRIDES, parseBacktestArgs } from './args.ts';
import { loadInputs, runBacktest, toReportJson, type BacktestSettings } from './backtest.ts';
import { CandleDataError } from '../candles/columns.ts';
import { buildHtml, readChartLibrary } from './report-html.ts';
import { formatSummary } from './report-text.ts';
import { formatSweep, parseSweep, runSweep } from './sweep.ts';

export const BACKTEST_USAGE = `usage: bun run backtest -- --data FILE[:MARKET][@±HH:MM] [--data …] [options]
  FILE        CSV timestamp,open,high,low,close,volume (candle open; UTC unless @±HH:MM or @KST says
              the naive timestamps are local, e.g. @+09:00) or an Upbit candles JSON array; .gz ok.
              MARKET defaults from the file name (BTC_KRW_1m.csv → KRW-BTC) or the JSON's market field.
  --from ISO / --to ISO     candles with from ≤ open time < to (dates are UTC midnight)
  --json OUT  writes {settings, summary, trades, equity}      --html OUT  one self-contained page
  --sweep NAME=FROM:TO:STEP[,NAME=…]   grid over settings on worker threads, ranked by PnL
  --workers N (sweep threads, default: cores)   --cache-dir DIR (binary copy of parsed candles)
  settings (default: the environment's config): ${Object.keys(OVERRIDES).join(' ')}`;

export type CliIo = {
  env?: Record<string, string | undefined>;
  out?: (text: string) => void;
  err?: (text: string) => void;
};

/** Settings from the config in `env` (so a backtest uses what the bot would), starting KRW = PAPER_KRW. */
export function baseSettings(env: Record<string, string | undefined>): BacktestSettings {
  const config = loadConfig(env);
  return { ...toStrategySettings(config), initialKrw: config.PAPER_KRW };
}

export async function runBacktestCli(argv: string[], io: CliIo = {}): Promise<number> {
  const out = io.out ?? ((t) => process.stdout.write(t));
  const err = io.err ?? ((t) => process.stderr.write(t));
  if (argv.includes('--help') || argv.includes('-h')) return out(`${BACKTEST_USAGE}\n`), 0;
  try {
    const args = parseBacktestArgs(argv, baseSettings(io.env ?? process.env));
    const cacheDir = args.cacheDir ?? undefined;
    if (args.sweep !== null) {
      const axes = parseSweep(args.sweep);
      const rows = await runSweep({ data: args.data, from: args.from, to: args.to, cacheDir: args.cacheDir }, axes, args.settings, args.workers ?? undefined);
      out(formatSweep(rows));
      if (args.json) writeFileSync(args.json, `${JSON.stringify({ settings: args.settings, sweep: rows }, null, 2)}\n`);
      return 0;
    }
    const inputs = loadInputs(args.data, { from: args.from, to: args.to, cacheDir });
    const report = runBacktest(inputs, args.settings);
    out(formatSummary(report));
    if (args.json) writeFileSync(args.json, toReportJson(report)), out(`wrote ${args.json}\n`);
    if (args.html) writeFileSync(args.html, buildHtml(report, inputs, readChartLibrary())), out(`wrote ${args.html}\n`);
    return 0;
  } catch (e) {
    if (e instanceof BacktestArgsError || e instanceof CandleDataError || (e as Error).name === 'ConfigError') {
      err(`backtest: ${(e as Error).message}\n${e instanceof BacktestArgsError ? `${BACKTEST_USAGE}\n` : ''}`);
      return 2;
    }
    throw e;
  }
}
