// Parameter sweep: parses `name=from:to:step,…`, builds the grid, runs it on worker threads and ranks the results.
import { cpus } from 'node:os';
import { BacktestArgsError, OVERRIDES } from './args.ts';
import type { BacktestSettings } from './backtest.ts';
import type { Summary } from './metrics.ts';

export type SweepAxis = { flag: string; key: keyof BacktestSettings; values: Array<number | null> };
export type SweepJob = { data: string[]; from: number | null; to: number | null; cacheDir: string | null; combos: Array<{ index: number; settings: BacktestSettings }> };
export type SweepRow = { index: number; params: Record<string, number | null>; summary: Summary };

const MAX_GRID = 10_000;

/** `profit-rate=0.02:0.05:0.01` (inclusive range), `max-hold=off|60|120` (list) or `cooldown=0`; axes joined by commas. */
export function parseSweep(spec: string): SweepAxis[] {
  const axes = spec.split(',').filter((p) => p.trim() !== '').map((part) => {
    const [name, range] = part.split('=') as [string, string | undefined];
    const flag = `--${name.trim()}`;
    const o = OVERRIDES[flag];
    if (!o || range === undefined) throw new BacktestArgsError(`Invalid --sweep "${part}": expected NAME=FROM:TO:STEP with NAME one of ${Object.keys(OVERRIDES).map((f) => f.slice(2)).join(', ')}`);
    const values = range.includes(':') ? expandRange(range, part) : range.split('|');
    return { flag, key: o.key, values: values.map((v) => o.parse(String(v), `--sweep ${name.trim()}`)) };
  });
  if (axes.length === 0) throw new BacktestArgsError('Invalid --sweep: no parameter given');
  const size = axes.reduce((n, a) => n * a.values.length, 1);
  if (size > MAX_GRID) throw new BacktestArgsError(`Invalid --sweep: ${size} combinations (at most ${MAX_GRID})`);
  return axes;
}

function expandRange(range: string, part: string): number[] {
  const [a, b, step] = range.split(':').map(Number) as [number, number, number | undefined];
  const d = step ?? Number.NaN;
  if (![a, b, d].every(Number.isFinite) || d <= 0 || a > b) {
    throw new BacktestArgsError(`Invalid --sweep "${part}": expected FROM:TO:STEP with FROM ≤ TO and STEP > 0`);
  }
  const count = Math.floor((b - a) / d + 1e-9) + 1;
  return Array.from({ length: count }, (_, i) => Number((a + i * d).toPrecision(12)));
}

/** Every combination, the first axis varying slowest. */
export function buildGrid(base: BacktestSettings, axes: SweepAxis[]): Array<{ index: number; settings: BacktestSettings }> {
  let grid: BacktestSettings[] = [{ ...base }];
  for (const axis of axes) grid = grid.flatMap((s) => axis.values.map((v) => ({ ...s, [axis.key]: v })));
  return grid.map((settings, index) => ({ index, settings }));
}

/** Highest total PnL first; ties by smaller drawdown, then grid order. */
export const rankRows = (rows: SweepRow[]): SweepRow[] =>
  [...rows].sort((a, b) => b.summary.totalPnlKrw - a.summary.totalPnlKrw || a.summary.maxDrawdownKrw - b.summary.maxDrawdownKrw || a.index - b.index);

/** Splits the grid round-robin over `workers` threads; each parses the data once. */
export async function runSweep(job: Omit<SweepJob, 'combos'>, axes: SweepAxis[], base: BacktestSettings, workers?: number): Promise<SweepRow[]> {
  const grid = buildGrid(base, axes);
  const count = Math.max(1, Math.min(workers ?? cpus().length, grid.length));
  const parts = Array.from({ length: count }, (_, w) => grid.filter((_, i) => i % count === w));
  const results = await Promise.all(parts.map((combos) => runWorker({ ...job, combos })));
  const params = (s: BacktestSettings) => Object.fromEntries(axes.map((a) => [a.flag.slice(2), s[a.key] as number | null]));
  return rankRows(results.flat().map((r) => ({ index: r.index, params: params(grid[r.index]!.settings), summary: r.summary })));
}

function runWorker(job: SweepJob): Promise<Array<{ index: number; summary: Summary }>> {
  const worker = new Worker(new URL('./sweep-worker.ts', import.meta.url).href);
  return new Promise((resolve, reject) => {
    worker.onmessage = (e: MessageEvent<{ ok: true; rows: Array<{ index: number; summary: Summary }> } | { ok: false; error: string }>) => {
      worker.terminate();
      if (e.data.ok) resolve(e.data.rows);
      else reject(new BacktestArgsError(e.data.error));
    };
    worker.onerror = (e) => {
      worker.terminate();
      reject(new Error(`Sweep worker failed: ${e.message}`));
    };
    worker.postMessage(job);
  });
}

export function formatSweep(rows: SweepRow[], limit = 20): string {
  const names = Object.keys(rows[0]?.params ?? {});
  const head = ['#', ...names, 'trades', 'win', 'PnL KRW', 'return', 'max DD KRW', 'Sharpe'];
  const body = rows.slice(0, limit).map((r, rank) => [
    String(rank + 1),
    ...names.map((n) => String(r.params[n] ?? 'off')),
    String(r.summary.trades),
    `${(r.summary.winRate * 100).toFixed(1)}%`,
    Math.round(r.summary.totalPnlKrw).toLocaleString('en-US'),
    `${(r.summary.returnPct * 100).toFixed(2)}%`,
    Math.round(r.summary.maxDrawdownKrw).toLocaleString('en-US'),
    r.summary.sharpeDaily.toFixed(2),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (row: string[]) => row.map((c, i) => (i === 0 || i > names.length ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  const more = rows.length > limit ? `\n… ${rows.length - limit} more combinations` : '';
  return `${[line(head), ...body.map(line)].join('\n')}${more}\n`;
}
