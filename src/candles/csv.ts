// Fast hand-written parser of `timestamp,open,high,low,close,volume` CSV bytes into typed candle columns.
import { allocColumns, CandleDataError, candleRowProblem, trimColumns, type CandleColumns } from './columns.ts';

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
const NL = 10;
const CR = 13;
const COMMA = 44;
const EXPECTED_HEADER = ['open', 'high', 'low', 'close', 'volume'];

export type CsvOptions = {
  /** Offset of naive timestamps (no Z / ±HH:MM) from UTC in ms: 0 for UTC, 9 h for KST. */
  offsetMs?: number;
  /** Names the file in error messages. */
  source?: string;
};

/** Days since 1970-01-01 of a civil date (Howard Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

/**
 * Parses candle CSV: an optional UTF-8 BOM, an optional header (first column free, then open, high, low,
 * close, volume in any case), extra trailing columns ignored, LF or CRLF. Timestamp = candle open as
 * `YYYY-MM-DD HH:MM:SS`, ISO 8601 (`T`, fraction, `Z` or `±HH:MM`), or epoch ms. Naive timestamps are
 * shifted by `offsetMs`. Raw samples (AzureMooni/upbit_auto_bot BTC_KRW_1m.csv; ALSTM bitcoin_prices_minute240.csv, KST):
 *   timestamp,open,high,low,close,volume
 *   2025-09-01 00:00:00,150700000.0,150803000.0,150640000.0,150803000.0,1.51931528
 *   2025-09-07 18:45:00,155299000.0,155299000.0,155222000.0,155222000.0,6.968e-05
 *   \uFEFFTimestamp,Open,High,Low,Close,Volume
 *   2020-01-01 01:00:00,8309000.00000000,8346000.00000000,8296000.00000000,8330000.00000000,363.82352515
 */
export function parseCandleCsv(bytes: Uint8Array, o: CsvOptions = {}): CandleColumns {
  const src = o.source ?? 'CSV';
  const offsetMs = o.offsetMs ?? 0;
  const n = bytes.length;
  let lines = 1;
  for (let i = 0; i < n; i++) if (bytes[i] === NL) lines++;
  const cols = allocColumns(lines);
  const out = [cols.open, cols.high, cols.low, cols.close, cols.volume];
  let p = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let line = 1;
  if (p < n && !(bytes[p]! >= 48 && bytes[p]! <= 57)) (p = skipHeader(bytes, p, src)), (line = 2);
  let row = 0;
  const fail = (what: string): never => {
    throw new CandleDataError(`Cannot parse ${src} line ${line}: ${what}`);
  };
  while (p < n) {
    const c0 = bytes[p];
    if (c0 === NL || c0 === CR) {
      if (c0 === NL) line++;
      p++;
      continue;
    }
    p = parseTime(bytes, p, offsetMs, cols.time, row, fail);
    for (let c = 0; c < 5; c++) {
      if (bytes[p] !== COMMA) fail(`expected a comma before column ${c + 2}`);
      p = parseNumber(bytes, p + 1, out[c]!, row, fail);
    }
    const end = bytes[p];
    if (p < n && end !== COMMA && end !== NL && end !== CR) fail('expected a comma or the end of the line after column 6');
    const why = candleRowProblem(cols.open[row]!, cols.high[row]!, cols.low[row]!, cols.close[row]!, cols.volume[row]!);
    if (why !== null) fail(why);
    while (p < n && bytes[p] !== NL) p++;
    row++;
    line++;
    p++;
  }
  return trimColumns(cols, row);
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/** 1 when the byte is not an ASCII digit. */
const nd = (b: Uint8Array, i: number): number => ((b[i]! - 48) >>> 0 > 9 ? 1 : 0);

/** True when `YYYY-MM-DD?HH:MM:SS` at p has digits where they belong and its decoded fields are a real date and time of day. */
function isDateTime(b: Uint8Array, p: number, y: number, m: number, d: number, h: number, mi: number, s: number): boolean {
  const bad =
    nd(b, p) | nd(b, p + 1) | nd(b, p + 2) | nd(b, p + 3) | nd(b, p + 5) | nd(b, p + 6) | nd(b, p + 8) |
    nd(b, p + 9) | nd(b, p + 11) | nd(b, p + 12) | nd(b, p + 14) | nd(b, p + 15) | nd(b, p + 17) | nd(b, p + 18);
  if (bad !== 0) return false;
  const leap = m === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 1 : 0;
  return m >= 1 && m <= 12 && d >= 1 && d <= MONTH_DAYS[m - 1]! + leap && h <= 23 && mi <= 59 && s <= 59;
}

function skipHeader(bytes: Uint8Array, p: number, src: string): number {
  let end = bytes.indexOf(NL, p);
  if (end < 0) end = bytes.length;
  const header = new TextDecoder().decode(bytes.subarray(p, end)).trim().toLowerCase().split(',');
  const names = header.slice(1, 6).map((h) => h.trim().replace(/^"|"$/g, ''));
  if (names.join(',') !== EXPECTED_HEADER.join(',')) {
    throw new CandleDataError(`Cannot parse ${src}: header must be timestamp,open,high,low,close,volume (got ${header.join(',')})`);
  }
  return end + 1;
}

const d2 = (b: Uint8Array, p: number) => (b[p]! - 48) * 10 + (b[p + 1]! - 48);

/** Writes time[row]; returns the position after the timestamp. */
function parseTime(b: Uint8Array, p: number, offsetMs: number, time: Float64Array, row: number, fail: (w: string) => never): number {
  if (b[p + 4] !== 45) {
    let ms = 0;
    const start = p;
    for (let ch = b[p]!; ch >= 48 && ch <= 57; ch = b[++p]!) ms = ms * 10 + (ch - 48);
    if (p === start) fail('expected a timestamp');
    if (ms < 1e11) fail(`timestamp ${ms} looks like epoch seconds; epoch timestamps must be milliseconds`);
    time[row] = ms;
    return p;
  }
  const sep = b[p + 10];
  // Decoded once; isDateTime then checks that they came from digits and make a real date and time.
  const y = d2(b, p) * 100 + d2(b, p + 2);
  const mo = d2(b, p + 5);
  const d = d2(b, p + 8);
  const h = d2(b, p + 11);
  const mi = d2(b, p + 14);
  const s = d2(b, p + 17);
  if (b[p + 7] !== 45 || (sep !== 32 && sep !== 84) || b[p + 13] !== 58 || b[p + 16] !== 58 || !isDateTime(b, p, y, mo, d, h, mi, s)) {
    fail('expected a timestamp as YYYY-MM-DD HH:MM:SS, ISO 8601 or epoch ms');
  }
  let ms = (daysFromCivil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s) * 1000;
  p += 19;
  if (b[p] === 46) {
    let scale = 100;
    for (let ch = b[++p]!; ch >= 48 && ch <= 57; ch = b[++p]!) (ms += (ch - 48) * scale), (scale /= 10);
    ms = Math.round(ms);
  }
  const z = b[p];
  if (z === 90) return (time[row] = ms), p + 1;
  if (z === 43 || z === 45) {
    const colon = b[p + 3] === 58 ? 1 : 0;
    if (nd(b, p + 1) | nd(b, p + 2) | nd(b, p + 3 + colon) | nd(b, p + 4 + colon)) fail('expected a zone offset as ±HH:MM or ±HHMM');
    const off = (d2(b, p + 1) * 60 + d2(b, p + 3 + colon)) * 60_000;
    time[row] = z === 43 ? ms - off : ms + off;
    return p + 5 + colon;
  }
  time[row] = ms - offsetMs;
  return p;
}

/** Writes dst[row]; returns the position after the number. Same result as parseFloat for ≤ 15 significant digits. */
function parseNumber(b: Uint8Array, p: number, dst: Float64Array, row: number, fail: (w: string) => never): number {
  let mant = 0;
  let dec = -1;
  let exp = 0;
  let digits = 0;
  let ch = b[p];
  const neg = ch === 45;
  if (neg || ch === 43) ch = b[++p];
  for (; ; ch = b[++p]) {
    if (ch! >= 48 && ch! <= 57) {
      mant = mant * 10 + (ch! - 48);
      digits++;
      if (dec >= 0) dec++;
    } else if (ch === 46 && dec < 0) dec = 0;
    else break;
  }
  if (digits === 0) fail('expected a number');
  if (ch === 101 || ch === 69) {
    ch = b[++p];
    const eneg = ch === 45;
    if (eneg || ch === 43) ch = b[++p];
    for (; ch! >= 48 && ch! <= 57; ch = b[++p]) exp = exp * 10 + (ch! - 48);
    if (eneg) exp = -exp;
  }
  const scale = exp - (dec > 0 ? dec : 0);
  const v = scale >= 0 ? mant * (scale < 23 ? POW10[scale]! : 10 ** scale) : -scale < 23 ? mant / POW10[-scale]! : mant * 10 ** scale;
  dst[row] = neg ? -v : v;
  if (ch === CR) p++;
  return p;
}
