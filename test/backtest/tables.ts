// Test helper: compact candle tables ("HH:MM open high low close volume") → CSV → the real parser → a backtest report.
import { inputsFromColumns, runBacktest, type BacktestReport, type BacktestSettings } from '../../src/backtest/backtest.ts';
import { parseCandleCsv } from '../../src/candles/csv.ts';
import { DEFAULT_STRATEGY_SETTINGS } from '../../src/core/strategy.ts';

/** 2025-09-02 00:00 UTC = 09:00 KST; "HH:MM" rows are on this day, "-HH:MM" on the day before. */
export const DAY0 = Date.UTC(2025, 8, 2);
export const MIN = 60_000;
export const at = (hhmm: string): number => {
  const prev = hhmm.startsWith('-');
  const [h, m] = hhmm.replace('-', '').split(':').map(Number) as [number, number];
  return DAY0 - (prev ? 86_400_000 : 0) + (h * 60 + m) * MIN;
};

export const SETTINGS: BacktestSettings = { ...DEFAULT_STRATEGY_SETTINGS, initialKrw: 1_000_000 };

const csvTime = (t: number) => new Date(t).toISOString().slice(0, 19).replace('T', ' ');

/** Table rows "HH:MM o h l c v" (comments after #, blank lines ignored) → CSV text. */
export function tableCsv(table: string): string {
  const rows = table
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .filter((l) => l !== '')
    .map((l) => {
      const [time, ...nums] = l.split(/\s+/);
      if (nums.length !== 5) throw new Error(`bad table row: ${l}`);
      return `${csvTime(at(time!))},${nums.join(',')}`;
    });
  return `timestamp,open,high,low,close,volume\n${rows.join('\n')}\n`;
}

/** Flat rows (o=h=l=c) every minute from..to inclusive (HH:MM), volume 1. */
export function flat(from: string, to: string, price = 100, volume = 1): string {
  const lines: string[] = [];
  for (let t = at(from); t <= at(to); t += MIN) {
    const d = new Date(t);
    const hh = `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
    lines.push(`${t < DAY0 ? '-' : ''}${hh} ${price} ${price} ${price} ${price} ${volume}`);
  }
  return lines.join('\n');
}

/**
 * The warm-up every scenario shares: a close of 100 at 23:59 the day before (prevDayClose) and four flat
 * 5-minute buckets 00:00–00:19 of volume 5, so a bucket of volume ≥ 10 is a spike (2 × mean 5).
 */
export const WARM_UP = `${flat('-23:59', '-23:59')}\n${flat('00:00', '00:19')}`;

/** The spike bucket 00:20–00:24 (volume 10, closes at 100): evaluated at 00:25, entry at the 00:25 open. */
export const SPIKE = `
  00:20 100 100 100 100 1
  00:21 100 100 100 100 1
  00:22 100 100 100 100 1
  00:23 100 100 100 100 1
  00:24 100 100 100 100 6`;

export function backtestTables(tables: Record<string, string>, over: Partial<BacktestSettings> = {}): BacktestReport {
  const markets = Object.keys(tables);
  const columns = markets.map((m) => parseCandleCsv(new TextEncoder().encode(tableCsv(tables[m]!)), { source: m }));
  return runBacktest(inputsFromColumns(markets, markets, columns), { ...SETTINGS, ...over });
}
