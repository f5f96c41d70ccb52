// Pages Upbit minute candles backwards through the Exchange port (its rate limiter keeps it polite) into backtest CSV.
import type { Candle } from '../core/types.ts';
import type { CandleQuery, CandleUnit } from '../exchange/exchange.ts';

export const DOWNLOAD_UNITS = [1, 3, 5, 10, 15, 30, 60, 240] as const;
const PAGE = 200;

export type DownloadRequest = { market: string; unit: (typeof DOWNLOAD_UNITS)[number]; from: number; to: number };
export type DownloadDeps = {
  /** Exchange.fetchCandles: `to` exclusive, oldest first, count ≤ 200. */
  fetchCandles(q: CandleQuery): Promise<Candle[]>;
  /** Progress after each page. */
  onPage?: (fetched: number, oldest: number) => void;
};

/** Candles with from ≤ openTime < to, ascending, no duplicates (minutes without trades are absent, as on Upbit). */
export async function downloadCandles(deps: DownloadDeps, r: DownloadRequest): Promise<Candle[]> {
  const byTime = new Map<number, Candle>();
  let cursor = r.to;
  while (cursor > r.from) {
    const page = await deps.fetchCandles({ market: r.market, unit: r.unit as CandleUnit, to: cursor, count: PAGE });
    if (page.length === 0) break;
    for (const c of page) if (c.openTime >= r.from && c.openTime < r.to) byTime.set(c.openTime, c);
    const oldest = page[0]!.openTime;
    deps.onPage?.(byTime.size, oldest);
    if (!(oldest < cursor) || page.length < PAGE) break;
    cursor = oldest;
  }
  return [...byTime.values()].sort((a, b) => a.openTime - b.openTime);
}

const utcText = (t: number) => new Date(t).toISOString().slice(0, 19).replace('T', ' ');

/** The backtester's CSV: `timestamp,open,high,low,close,volume`, timestamp = candle open in UTC. */
export function toCandleCsv(candles: readonly Candle[]): string {
  const rows = candles.map((c) => `${utcText(c.openTime)},${c.open},${c.high},${c.low},${c.close},${c.volume}`);
  return `timestamp,open,high,low,close,volume\n${rows.join('\n')}${rows.length > 0 ? '\n' : ''}`;
}
