// `bun run download -- --market KRW-BTC --unit 1 --from ISO --to ISO --out FILE.csv [--rest-url URL]`.
import { writeFileSync } from 'node:fs';
import { loadConfig } from '../config.ts';
import { createUpbitStack } from '../exchange/upbit/upbit-stack.ts';
import { BacktestArgsError, parseTimeFlag } from './args.ts';
import { DOWNLOAD_UNITS, downloadCandles, toCandleCsv, type DownloadDeps, type DownloadRequest } from './download.ts';

export const DOWNLOAD_USAGE = `usage: bun run download -- --market KRW-BTC --unit 1 --from ISO --to ISO --out FILE.csv [--rest-url URL]
  --unit      minutes per candle: ${DOWNLOAD_UNITS.join(', ')} (default 1)
  --from/--to candle open times, from ≤ t < to; dates are UTC midnight (default --to: now; the candle
              still forming is never written)
  --rest-url  default UPBIT_REST_URL from the environment (https://api.upbit.com)`;

export type DownloadArgs = DownloadRequest & { out: string; restUrl: string | null };

export function parseDownloadArgs(argv: readonly string[], now: number): DownloadArgs {
  const v: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split(/=(.*)/s) as [string, string | undefined];
    if (!['--market', '--unit', '--from', '--to', '--out', '--rest-url'].includes(flag)) throw new BacktestArgsError(`Unknown option ${argv[i]}`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new BacktestArgsError(`Missing value for ${flag}`);
    v[flag] = value;
  }
  const market = (v['--market'] ?? '').toUpperCase();
  if (!/^[A-Z]+-[A-Z0-9]+$/.test(market)) throw new BacktestArgsError(`Invalid --market: expected a market code like KRW-BTC (got "${v['--market'] ?? ''}")`);
  const unit = Number(v['--unit'] ?? '1');
  if (!(DOWNLOAD_UNITS as readonly number[]).includes(unit)) throw new BacktestArgsError(`Invalid --unit: expected one of ${DOWNLOAD_UNITS.join(', ')} (got "${v['--unit']}")`);
  if (!v['--from']) throw new BacktestArgsError('Missing --from');
  if (!v['--out']) throw new BacktestArgsError('Missing --out FILE.csv');
  const from = parseTimeFlag(v['--from'], '--from');
  // Upbit's unit candles start at multiples of the unit from 00:00 UTC; the one open at `now` is still forming.
  const formingFrom = Math.floor(now / (unit * 60_000)) * unit * 60_000;
  const to = Math.min(v['--to'] ? parseTimeFlag(v['--to'], '--to') : now, formingFrom);
  if (from >= to) throw new BacktestArgsError('Invalid --from/--to: --from must be before --to');
  return { market, unit: unit as DownloadRequest['unit'], from, to, out: v['--out'], restUrl: v['--rest-url'] ?? null };
}

export type DownloadIo = {
  env?: Record<string, string | undefined>;
  now?: () => number;
  /** Overrides the Upbit stack (tests pass a stack wired to the simulator and a virtual clock). */
  fetchCandles?: DownloadDeps['fetchCandles'];
  err?: (text: string) => void;
};

export async function runDownloadCli(argv: string[], io: DownloadIo = {}): Promise<number> {
  const err = io.err ?? ((t) => process.stderr.write(t));
  if (argv.includes('--help') || argv.includes('-h')) return err(`${DOWNLOAD_USAGE}\n`), 0;
  let args: DownloadArgs;
  try {
    args = parseDownloadArgs(argv, (io.now ?? Date.now)());
  } catch (e) {
    if (!(e instanceof BacktestArgsError)) throw e;
    err(`download: ${e.message}\n${DOWNLOAD_USAGE}\n`);
    return 2;
  }
  let fetchCandles = io.fetchCandles;
  if (!fetchCandles) {
    const config = loadConfig(io.env ?? process.env);
    const stack = createUpbitStack({
      baseUrl: args.restUrl ?? config.UPBIT_REST_URL,
      timeoutMs: config.UPBIT_TIMEOUT_MS,
      blockScope: config.UPBIT_418_SCOPE,
      blockFallbackMs: config.UPBIT_418_FALLBACK_MS,
    });
    fetchCandles = (q) => stack.exchange.fetchCandles(q);
  }
  const candles = await downloadCandles(
    { fetchCandles, onPage: (n, oldest) => err(`\r${args.market}: ${n} candles, back to ${new Date(oldest).toISOString()}`) },
    args,
  );
  writeFileSync(args.out, toCandleCsv(candles));
  err(`\nwrote ${candles.length} candles to ${args.out}\n`);
  return 0;
}
