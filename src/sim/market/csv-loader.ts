// Loads the recorded Upbit 1-minute candles (shared data, or the bundled subset) into Float64Array columns.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One market's minutes, ascending; minutes without trades are absent. Times are candle open, UTC epoch ms. */
export type MinuteColumns = {
  length: number;
  time: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
};

export type RecordedMarket = MinuteColumns & { market: string; koreanName: string; englishName: string };

export type RecordedData = {
  /** 'shared' = the full files, 'bundled' = the 3-day subset shipped in the repo. */
  source: 'shared' | 'bundled';
  dir: string;
  markets: RecordedMarket[];
};

export const RECORDED_NAMES: Readonly<Record<string, { koreanName: string; englishName: string }>> = {
  'KRW-BTC': { koreanName: '비트코인', englishName: 'Bitcoin' },
  'KRW-ETH': { koreanName: '이더리움', englishName: 'Ethereum' },
  'KRW-XRP': { koreanName: '리플', englishName: 'XRP' },
  'KRW-SOL': { koreanName: '솔라나', englishName: 'Solana' },
  'KRW-DOGE': { koreanName: '도지코인', englishName: 'Dogecoin' },
};

/** Repo root's parent holds shared/ (locally /work; in CI the clone's sibling). */
export const DEFAULT_DATA_DIR = join(import.meta.dir, '../../../..', 'shared/data/upbit/AzureMooni__upbit_auto_bot/data');
export const BUNDLED_DATA_DIR = join(import.meta.dir, 'recorded');
const FILE_RE = /^([A-Z0-9]+)_KRW_1m\.csv(\.gz)?$/;

export class CsvParseError extends Error {
  override readonly name = 'CsvParseError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** `BTC_KRW_1m.csv` (or `.csv.gz`) → `KRW-BTC`; null for any other name. */
export function marketFromFileName(fileName: string): string | null {
  const m = FILE_RE.exec(fileName);
  return m ? `KRW-${m[1]}` : null;
}

/** Days since 1970-01-01 of a civil UTC date (Howard Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * Parses ccxt's fetch_ohlcv CSV (bytes, UTF-8/ASCII) into columns. Hand-written for speed.
 * Raw sample (AzureMooni/upbit_auto_bot data/BTC_KRW_1m.csv, trimmed):
 *   timestamp,open,high,low,close,volume
 *   2025-09-01 00:00:00,150700000.0,150803000.0,150640000.0,150803000.0,1.51931528
 *   2025-09-07 18:45:00,155299000.0,155299000.0,155222000.0,155222000.0,6.968e-05
 */
export function parseCandleCsv(bytes: Uint8Array): MinuteColumns {
  let lines = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 10) lines++;
  const cap = lines + 1;
  const cols = [new Float64Array(cap), new Float64Array(cap), new Float64Array(cap), new Float64Array(cap), new Float64Array(cap)];
  const time = new Float64Array(cap);
  let p = bytes.indexOf(10) + 1; // skip the header
  if (p === 0) return finish(time, cols, 0);
  let row = 0;
  const n = bytes.length;
  const num = (at: number) => (bytes[at]! - 48);
  while (p < n) {
    if (bytes[p] === 10 || bytes[p] === 13) { p++; continue; }
    if (p + 19 > n || bytes[p + 4] !== 45 || bytes[p + 10] !== 32 || bytes[p + 19] !== 44) {
      throw new CsvParseError(`Cannot parse candle row ${row + 1}: expected "YYYY-MM-DD HH:MM:SS," at byte ${p}`);
    }
    const y = num(p) * 1000 + num(p + 1) * 100 + num(p + 2) * 10 + num(p + 3);
    const mo = num(p + 5) * 10 + num(p + 6);
    const d = num(p + 8) * 10 + num(p + 9);
    const secs = (num(p + 11) * 10 + num(p + 12)) * 3600 + (num(p + 14) * 10 + num(p + 15)) * 60 + num(p + 17) * 10 + num(p + 18);
    time[row] = (daysFromCivil(y, mo, d) * 86400 + secs) * 1000;
    p += 20;
    for (let c = 0; c < 5; c++) {
      let mant = 0;
      let dec = -1;
      let exp = 0;
      let neg = false;
      let ch = bytes[p];
      if (ch === 45) { neg = true; ch = bytes[++p]; }
      for (; p < n; ch = bytes[++p]) {
        if (ch! >= 48 && ch! <= 57) { mant = mant * 10 + (ch! - 48); if (dec >= 0) dec++; }
        else if (ch === 46) dec = 0;
        else break;
      }
      if (ch === 101 || ch === 69) {
        let eneg = false;
        ch = bytes[++p];
        if (ch === 45 || ch === 43) { eneg = ch === 45; ch = bytes[++p]; }
        for (; p < n && ch! >= 48 && ch! <= 57; ch = bytes[++p]) exp = exp * 10 + (ch! - 48);
        if (eneg) exp = -exp;
      }
      const scale = exp - Math.max(dec, 0);
      const v = scale >= 0 ? mant * POW10[scale]! : mant / POW10[-scale]!;
      cols[c]![row] = neg ? -v : v;
      const sep = c < 4 ? 44 : 10;
      if (bytes[p] === 13) p++;
      if (p < n && bytes[p] !== sep) throw new CsvParseError(`Cannot parse candle row ${row + 1}: bad number in column ${c + 2} at byte ${p}`);
      p++;
    }
    row++;
  }
  return finish(time, cols, row);
}

function finish(time: Float64Array, cols: Float64Array[], length: number): MinuteColumns {
  const [open, high, low, close, volume] = cols.map((c) => c.subarray(0, length)) as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
  return { length, time: time.subarray(0, length), open, high, low, close, volume };
}

/** Reads one market file (gunzips `.gz`). */
export function loadCandleFile(path: string): MinuteColumns {
  const raw = new Uint8Array(readFileSync(path));
  return parseCandleCsv(path.endsWith('.gz') ? Bun.gunzipSync(raw) : raw);
}

const MARKET_FILES = ['BTC', 'ETH', 'XRP', 'SOL', 'DOGE'];

function filesIn(dir: string): string[] | null {
  const found: string[] = [];
  for (const base of MARKET_FILES) {
    const plain = join(dir, `${base}_KRW_1m.csv`);
    if (existsSync(plain)) found.push(plain);
    else if (existsSync(`${plain}.gz`)) found.push(`${plain}.gz`);
  }
  return found.length > 0 ? found : null;
}

/**
 * Loads the five recorded markets: from `dataDir` (default: shared/ beside the repo) when it holds
 * them, otherwise from the bundled subset in src/sim/market/recorded/.
 */
export function loadRecordedMarkets(opts: { dataDir?: string } = {}): RecordedData {
  const sharedDir = opts.dataDir ?? DEFAULT_DATA_DIR;
  const shared = filesIn(sharedDir);
  const dir = shared ? sharedDir : BUNDLED_DATA_DIR;
  const files = shared ?? filesIn(BUNDLED_DATA_DIR);
  if (!files) throw new CsvParseError(`Cannot find recorded candles: neither ${sharedDir} nor ${BUNDLED_DATA_DIR} has *_KRW_1m.csv`);
  const markets = files.map((path) => {
    const market = marketFromFileName(path.slice(path.lastIndexOf('/') + 1))!;
    const names = RECORDED_NAMES[market] ?? { koreanName: market, englishName: market };
    return { market, ...names, ...loadCandleFile(path) };
  });
  return { source: shared ? 'shared' : 'bundled', dir, markets };
}
