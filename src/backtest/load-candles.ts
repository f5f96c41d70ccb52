// Backtest input: `FILE[:MARKET][@±HH:MM]` specs → one market's candle columns (CSV or Upbit JSON), with an optional binary cache.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { assertAscending, CandleDataError, detectIntervalMs, type CandleColumns } from '../candles/columns.ts';
import { parseCandleCsv } from '../candles/csv.ts';
import { marketFromFileName, readCandleBytes } from '../candles/files.ts';
import { parseUpbitCandlesJson } from './candle-json.ts';
import { readCache, writeCache } from './candle-cache.ts';

export type DataSpec = { path: string; market: string | null; offsetMs: number };

export type LoadedMarket = { market: string; path: string; columns: CandleColumns; intervalMs: number; fromCache: boolean };

const SPEC_RE = /^(.+?)(?::([A-Za-z0-9]+-[A-Za-z0-9]+))?(?:@(Z|UTC|KST|[+-]\d\d:\d\d))?$/;

/**
 * `data/BTC_KRW_1m.csv`, `candles.json:KRW-BTC`, `btc_4h.csv:KRW-BTC@+09:00` (naive timestamps in KST).
 * The offset applies to CSV timestamps without their own zone; `@KST` = `@+09:00`, `@Z` = `@UTC` = the default.
 */
export function parseDataSpec(spec: string): DataSpec {
  const m = SPEC_RE.exec(spec.trim());
  if (!m) throw new CandleDataError(`Invalid --data "${spec}": expected FILE[:MARKET][@±HH:MM]`);
  const zone = m[3] ?? 'Z';
  let offsetMs = 0;
  if (zone === 'KST') offsetMs = 9 * 3_600_000;
  else if (zone !== 'Z' && zone !== 'UTC') {
    const [h, min] = zone.slice(1).split(':').map(Number) as [number, number];
    if (h > 14 || min > 59) throw new CandleDataError(`Invalid --data "${spec}": offset ${zone} is out of range`);
    offsetMs = (zone[0] === '-' ? -1 : 1) * (h * 60 + min) * 60_000;
  }
  return { path: m[1]!, market: m[2] ? m[2].toUpperCase() : null, offsetMs };
}

/** Parses file bytes by content: a JSON array, else CSV. */
export function parseCandleBytes(bytes: Uint8Array, spec: DataSpec): { market: string | null; columns: CandleColumns } {
  let i = bytes[0] === 0xef ? 3 : 0;
  while (bytes[i] === 32 || bytes[i] === 10 || bytes[i] === 13 || bytes[i] === 9) i++;
  if (bytes[i] === 91) return parseUpbitCandlesJson(new TextDecoder().decode(bytes), spec.path);
  return { market: null, columns: parseCandleCsv(bytes, { offsetMs: spec.offsetMs, source: spec.path }) };
}

/** Loads one spec (gunzips `.gz`); with cacheDir, reuses or writes a binary copy keyed by size, mtime, ctime, inode and offset. */
export function loadMarket(specText: string, o: { cacheDir?: string } = {}): LoadedMarket {
  const spec = parseDataSpec(specText);
  let st;
  try {
    st = statSync(spec.path);
  } catch (cause) {
    throw new CandleDataError(`Cannot read --data ${spec.path}: no such file`, { cause });
  }
  const key = { path: resolve(spec.path), size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino, offsetMs: spec.offsetMs };
  const cached = o.cacheDir ? readCache(o.cacheDir, key) : null;
  let columns = cached?.columns;
  let fileMarket = cached?.market ?? null;
  if (!columns) {
    const parsed = parseCandleBytes(readCandleBytes(spec.path), spec);
    columns = parsed.columns;
    fileMarket = parsed.market;
    assertAscending(columns, spec.path);
    if (o.cacheDir) writeCache(o.cacheDir, key, fileMarket, columns);
  }
  const market = spec.market ?? fileMarket ?? marketFromFileName(spec.path);
  if (!market) throw new CandleDataError(`Cannot tell the market of ${spec.path}: name it like BTC_KRW_1m.csv or pass ${spec.path}:KRW-BTC`);
  if (columns.length === 0) throw new CandleDataError(`Cannot use ${spec.path}: it holds no candles`);
  return { market, path: spec.path, columns, intervalMs: detectIntervalMs(columns), fromCache: cached !== null };
}
