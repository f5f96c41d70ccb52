// `bun run backtest` flags: data specs, window, outputs, sweep, and validated strategy overrides naming the bad flag.
import type { BacktestSettings } from './backtest.ts';

export class BacktestArgsError extends Error {
  override readonly name = 'BacktestArgsError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export type BacktestArgs = {
  data: string[];
  from: number | null;
  to: number | null;
  json: string | null;
  html: string | null;
  sweep: string | null;
  cacheDir: string | null;
  workers: number | null;
  settings: BacktestSettings;
};

type Override = { key: keyof BacktestSettings; parse: (raw: string, flag: string) => number | null };

const number = (check: (v: number) => boolean, expected: string, isInt = false) => (raw: string, flag: string): number => {
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v) || (isInt && !Number.isInteger(v)) || !check(v)) {
    throw new BacktestArgsError(`Invalid ${flag}: expected ${expected} (got "${raw}")`);
  }
  return v;
};
const orOff = (inner: (raw: string, flag: string) => number) => (raw: string, flag: string): number | null =>
  raw === 'off' || raw === '0' ? null : inner(raw, flag);

/** Ranges mirror src/config.ts, so a backtest accepts exactly what the bot accepts. */
export const OVERRIDES: Readonly<Record<string, Override>> = {
  '--profit-rate': { key: 'profitRate', parse: number((v) => v >= 0.0001 && v <= 10, 'a fraction between 0.0001 and 10, e.g. 0.03') },
  '--loss-rate': { key: 'lossRate', parse: number((v) => v >= -0.99 && v <= -0.0001, 'a negative fraction between -0.99 and -0.0001, e.g. -0.02') },
  '--investment': { key: 'investmentKrw', parse: number((v) => v >= 5_000 && v <= 1e9, 'KRW per entry, at least 5000') },
  '--max-positions': { key: 'maxPositions', parse: number((v) => v >= 1 && v <= 100, 'a whole number from 1 to 100', true) },
  '--threshold': { key: 'volumeSpikeThreshold', parse: number((v) => v >= 1 && v <= 1_000, 'a volume ratio from 1 to 1000, e.g. 2') },
  '--price-change-limit': { key: 'priceChangeLimit', parse: number((v) => v >= 0.001 && v <= 10, 'a fraction from 0.001 to 10, e.g. 0.05') },
  '--cooldown': { key: 'cooldownMinutes', parse: number((v) => v >= 0 && v <= 10_080, 'minutes, a whole number from 0 to 10080', true) },
  '--trailing-stop': { key: 'trailingStop', parse: orOff(number((v) => v >= 0.0001 && v <= 0.99, 'a fraction from 0.0001 to 0.99, or off')) },
  '--max-hold': { key: 'maxHoldMinutes', parse: orOff(number((v) => v >= 1, 'whole minutes ≥ 1, or off', true)) },
  '--daily-loss-limit': { key: 'dailyLossLimit', parse: number((v) => v <= -1 && v >= -1e9, 'a negative KRW amount, e.g. -50000') },
  '--krw': { key: 'initialKrw', parse: number((v) => v >= 5_000, 'starting KRW, at least 5000') },
};

const VALUE_FLAGS = new Set(['--data', '--from', '--to', '--json', '--html', '--sweep', '--cache-dir', '--workers', ...Object.keys(OVERRIDES)]);

/** `2025-09-01` (UTC midnight), `2025-09-01T09:00+09:00`, `2025-09-01 12:00` (UTC) or epoch ms. */
export function parseTimeFlag(raw: string, flag: string): number {
  const t = /^\d{11,}$/.test(raw)
    ? Number(raw)
    : Date.parse(/^\d{4}-\d\d-\d\d$/.test(raw) ? `${raw}T00:00:00Z` : /[zZ]|[+-]\d\d:?\d\d$/.test(raw) ? raw.replace(' ', 'T') : `${raw.replace(' ', 'T')}Z`);
  if (!Number.isFinite(t)) throw new BacktestArgsError(`Invalid ${flag}: expected an ISO date or time, UTC unless it has an offset (got "${raw}")`);
  return t;
}

/** `--flag value` or `--flag=value`; unknown flags and missing values are errors. */
export function parseBacktestArgs(args: readonly string[], base: BacktestSettings): BacktestArgs {
  const out: BacktestArgs = { data: [], from: null, to: null, json: null, html: null, sweep: null, cacheDir: null, workers: null, settings: { ...base } };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    if (!VALUE_FLAGS.has(flag)) throw new BacktestArgsError(`Unknown option ${arg}`);
    const value = eq > 0 && arg.startsWith('--') ? arg.slice(eq + 1) : args[++i];
    if (value === undefined) throw new BacktestArgsError(`Missing value for ${flag}`);
    apply(out, flag, value);
  }
  if (out.data.length === 0) throw new BacktestArgsError('Missing --data FILE[:MARKET][@±HH:MM] (repeat it for more markets)');
  if (out.from !== null && out.to !== null && out.from >= out.to) throw new BacktestArgsError('Invalid --from/--to: --from must be before --to');
  return out;
}

function apply(out: BacktestArgs, flag: string, value: string): void {
  const o = OVERRIDES[flag];
  if (o) {
    (out.settings as Record<string, number | null>)[o.key] = o.parse(value, flag);
    return;
  }
  if (flag === '--data') out.data.push(value);
  else if (flag === '--from') out.from = parseTimeFlag(value, flag);
  else if (flag === '--to') out.to = parseTimeFlag(value, flag);
  else if (flag === '--json') out.json = value;
  else if (flag === '--html') out.html = value;
  else if (flag === '--sweep') out.sweep = value;
  else if (flag === '--cache-dir') out.cacheDir = value;
  else if (flag === '--workers') out.workers = number((v) => v >= 1 && v <= 64, 'a whole number from 1 to 64', true)(value, flag);
}
