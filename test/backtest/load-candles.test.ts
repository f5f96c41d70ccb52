// Candle input: the CSV parser's formats, the Upbit JSON parser, data specs, market names and the binary cache.
import { describe, expect, test } from 'bun:test';
import { mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CandleDataError } from '../../src/backtest/candle-columns.ts';
import { parseCandleCsv } from '../../src/backtest/candle-csv.ts';
import { parseUpbitCandlesJson } from '../../src/backtest/candle-json.ts';
import { loadMarket, marketFromFileName, parseDataSpec } from '../../src/backtest/load-candles.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const FIXTURES = join(import.meta.dir, '../fixtures/candles');
const T = Date.UTC(2025, 8, 1);

describe('parseCandleCsv', () => {
  test('reads the shared files format exactly like parseFloat, including exponents', () => {
    const c = parseCandleCsv(enc('timestamp,open,high,low,close,volume\n2025-09-01 00:00:00,150700000.0,150803000.0,150640000.0,150803000.0,1.51931528\n2025-09-01 00:01:00,298.5,299.0,297.0,298.0,6.968e-05\n'));
    expect(c.length).toBe(2);
    expect([...c.time]).toEqual([T, T + 60_000]);
    expect([c.open[0], c.high[0], c.low[0], c.close[0], c.volume[0]]).toEqual([150700000, 150803000, 150640000, 150803000, 1.51931528]);
    expect(c.volume[1]).toBe(6.968e-5);
  });

  test('accepts a BOM, ISO times with Z or an offset, epoch ms, CRLF and no final newline', () => {
    const c = parseCandleCsv(enc('\uFEFFTimestamp,Open,High,Low,Close,Volume\r\n2025-09-01T00:00:00Z,1,2,0.5,1.5,3\r\n2025-09-01T09:01:00.000+09:00,1,1,1,1,1\r\n1756684920000,2,2,2,2,2'));
    expect([...c.time]).toEqual([T, T + 60_000, T + 120_000]);
    expect(c.close[0]).toBe(1.5);
  });

  test('shifts naive timestamps by the given offset (a KST file) but not zoned ones', () => {
    const c = parseCandleCsv(enc('timestamp,open,high,low,close,volume\n2025-09-01 09:00:00,1,1,1,1,1\n2025-09-01T00:01:00Z,1,1,1,1,1\n'), { offsetMs: 9 * 3_600_000 });
    expect([...c.time]).toEqual([T, T + 60_000]);
  });

  test('reads the 4-hour KST file header and rows', () => {
    const c = parseCandleCsv(enc('\uFEFFTimestamp,Open,High,Low,Close,Volume\n2020-01-01 01:00:00,8309000.00000000,8346000.00000000,8296000.00000000,8330000.00000000,363.82352515\n'), { offsetMs: 9 * 3_600_000 });
    expect(new Date(c.time[0]!).toISOString()).toBe('2019-12-31T16:00:00.000Z');
    expect(c.volume[0]).toBe(363.82352515);
  });

  test('errors name the source and the line', () => {
    const bad = (s: string) => () => parseCandleCsv(enc(s), { source: 'x.csv' });
    expect(bad('timestamp,open,high,low,close,volume\n2025-09-01 00:00:00,1,1,1,1,1\n2025-09-01 00:01:00,1,1,,1,1\n')).toThrow('Cannot parse x.csv line 3: expected a number');
    expect(bad('timestamp,open,high,low,close,volume\n1756684800,1,1,1,1,1\n')).toThrow('looks like epoch seconds');
    expect(bad('time,o,h,l,c,v\n')).toThrow(CandleDataError);
  });
});

test('parseUpbitCandlesJson turns the newest-first raw answer into ascending columns with its market', () => {
  const file = parseUpbitCandlesJson(readFileSync(join(FIXTURES, 'upbit_1m_krw-btc.json'), 'utf8'));
  expect(file.market).toBe('KRW-BTC');
  const c = file.columns;
  expect(c.length).toBe(6);
  expect(new Date(c.time[0]!).toISOString()).toBe('2020-02-20T11:54:00.000Z');
  expect([c.open[0], c.close[0], c.volume[0]]).toEqual([11458000, 11475000, 8.06220719]);
  expect([c.open[5], c.close[5], c.volume[5]]).toEqual([11471000, 11467000, 0.94820557]);
  expect(() => parseUpbitCandlesJson('{"a":1}')).toThrow(CandleDataError);
});

describe('data specs', () => {
  test('FILE[:MARKET][@offset]', () => {
    expect(parseDataSpec('data/BTC_KRW_1m.csv')).toEqual({ path: 'data/BTC_KRW_1m.csv', market: null, offsetMs: 0 });
    expect(parseDataSpec('btc4h.csv:KRW-BTC@+09:00')).toEqual({ path: 'btc4h.csv', market: 'KRW-BTC', offsetMs: 9 * 3_600_000 });
    expect(parseDataSpec('x.csv@KST').offsetMs).toBe(9 * 3_600_000);
    expect(parseDataSpec('x.csv:krw-eth@-05:30')).toEqual({ path: 'x.csv', market: 'KRW-ETH', offsetMs: -(5 * 60 + 30) * 60_000 });
  });

  test('the market comes from the file name, the JSON, or an error that says how to name it', () => {
    expect(marketFromFileName('/d/BTC_KRW_1m.csv')).toBe('KRW-BTC');
    expect(marketFromFileName('KRW-DOGE_2025.json')).toBe('KRW-DOGE');
    expect(marketFromFileName('bitcoin_prices_minute240.csv')).toBeNull();
    expect(loadMarket(join(FIXTURES, 'upbit_1m_krw-btc.json')).market).toBe('KRW-BTC');
    const dir = mkdtempSync(join(tmpdir(), 'bt-'));
    writeFileSync(join(dir, 'prices.csv'), 'timestamp,open,high,low,close,volume\n2025-09-01 00:00:00,1,1,1,1,1\n');
    expect(() => loadMarket(join(dir, 'prices.csv'))).toThrow('pass');
    expect(loadMarket(`${join(dir, 'prices.csv')}:KRW-X`).market).toBe('KRW-X');
    expect(() => loadMarket(join(dir, 'missing.csv'))).toThrow('no such file');
  });
});

test('the binary cache is reused while size and mtime match and rebuilt when the file changes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bt-cache-'));
  const file = join(dir, 'X_KRW_1m.csv');
  writeFileSync(file, 'timestamp,open,high,low,close,volume\n2025-09-01 00:00:00,1,2,0.5,1.5,10\n2025-09-01 00:01:00,1.5,1.5,1.5,1.5,1\n');
  const first = loadMarket(file, { cacheDir: dir });
  const second = loadMarket(file, { cacheDir: dir });
  expect([first.fromCache, second.fromCache]).toEqual([false, true]);
  expect([...second.columns.close]).toEqual([...first.columns.close]);
  expect(second.market).toBe('KRW-X');
  expect(second.intervalMs).toBe(60_000);
  writeFileSync(file, 'timestamp,open,high,low,close,volume\n2025-09-01 00:00:00,1,2,0.5,7,10\n');
  utimesSync(file, new Date(), new Date(Date.now() + 5_000));
  const third = loadMarket(file, { cacheDir: dir });
  expect([third.fromCache, third.columns.close[0]]).toEqual([false, 7]);
});
