// Parser of an Upbit candles JSON array (GET /v1/candles/minutes/{unit}, newest first) into ascending candle columns.
import { allocColumns, CandleDataError, candleRowProblem, trimColumns, type CandleColumns } from '../candles/columns.ts';

export type UpbitCandlesFile = { market: string | null; columns: CandleColumns };

type RawCandle = Record<string, unknown>;

const num = (r: RawCandle, key: string, i: number, src: string): number => {
  const v = r[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new CandleDataError(`Cannot parse ${src} candle ${i}: ${key} is not a number`);
  return v;
};

/**
 * Upbit's field names; `candle_date_time_utc` (naive UTC) is the candle open. Rows are sorted ascending
 * and exact duplicates of a time dropped. Raw sample (msaltnet/smtm upbit_1m_20200220_202000-…json, trimmed):
 *   [{"market":"KRW-BTC","candle_date_time_utc":"2020-02-20T11:59:00","candle_date_time_kst":"2020-02-20T20:59:00",
 *     "opening_price":11471000.0,"high_price":11471000.0,"low_price":11466000.0,"trade_price":11467000.0,
 *     "timestamp":1582199998830,"candle_acc_trade_price":10876514.92147,"candle_acc_trade_volume":0.94820557,"unit":1}, …]
 */
export function parseUpbitCandlesJson(text: string, source = 'JSON'): UpbitCandlesFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (cause) {
    throw new CandleDataError(`Cannot parse ${source}: not JSON`, { cause });
  }
  if (!Array.isArray(raw)) throw new CandleDataError(`Cannot parse ${source}: expected an array of Upbit candles`);
  const rows = raw.map((r: RawCandle, i) => {
    if (typeof r !== 'object' || r === null || Array.isArray(r)) throw new CandleDataError(`Cannot parse ${source} candle ${i}: expected an object with Upbit candle fields`);
    const utc = r.candle_date_time_utc;
    const time = typeof utc === 'string' ? Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(utc) ? utc : `${utc}Z`) : Number.NaN;
    if (!Number.isFinite(time)) throw new CandleDataError(`Cannot parse ${source} candle ${i}: bad candle_date_time_utc`);
    const row = {
      time,
      o: num(r, 'opening_price', i, source),
      h: num(r, 'high_price', i, source),
      l: num(r, 'low_price', i, source),
      c: num(r, 'trade_price', i, source),
      v: num(r, 'candle_acc_trade_volume', i, source),
      market: typeof r.market === 'string' ? r.market : null,
    };
    const why = candleRowProblem(row.o, row.h, row.l, row.c, row.v);
    if (why !== null) throw new CandleDataError(`Cannot parse ${source} candle ${i}: ${why}`);
    return row;
  });
  rows.sort((a, b) => a.time - b.time);
  const cols = allocColumns(rows.length);
  let n = 0;
  for (const r of rows) {
    if (n > 0 && cols.time[n - 1] === r.time) continue;
    cols.time[n] = r.time;
    cols.open[n] = r.o;
    cols.high[n] = r.h;
    cols.low[n] = r.l;
    cols.close[n] = r.c;
    cols.volume[n] = r.v;
    n++;
  }
  const markets = new Set(rows.map((r) => r.market));
  if (markets.size > 1) throw new CandleDataError(`Cannot use ${source}: it mixes markets ${[...markets].join(', ')}`);
  return { market: rows[0]?.market ?? null, columns: trimColumns(cols, n) };
}
