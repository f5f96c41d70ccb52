// Backtest candle input: the Upbit JSON parser, data specs, market names and the binary cache (the CSV parser: test/candles/csv.test.ts).
import { describe, expect, test } from 'bun:test';
import { mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CandleDataError } from '../../src/candles/columns.ts';
import { marketFromFileName } from '../../src/candles/files.ts';
import { parseUpbitCandlesJson } from '../../src/backtest/candle-json.ts';
import { loadMarket, parseDataSpec } from '../../src/backtest/load-candles.ts';

const FIXTURES = join(import.meta.dir, '../fixtures/candles');

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

test('parseUpbitCandlesJson refuses a row that is not a candle or has impossible values, naming the file and the candle', () => {
  const row = (o: number) => ({ market: 'KRW-A', candle_date_time_utc: '2025-09-01T00:00:00', opening_price: o, high_price: 2, low_price: 0.5, trade_price: 1, candle_acc_trade_volume: 3 });
  const parse = (v: unknown) => () => parseUpbitCandlesJson(JSON.stringify(v), 'f.json');
  expect(parse([row(1), null])).toThrow(new CandleDataError('Cannot parse f.json candle 1: expected an object with Upbit candle fields'));
  expect(parse([row(0)])).toThrow('Cannot parse f.json candle 0: open must be a positive price (got 0)');
  expect(parse([{ ...row(1), low_price: 3 }])).toThrow('Cannot parse f.json candle 0: high 2 is below low 3');
});

test('the binary cache is rebuilt when the file is replaced by one of the same size and the same mtime (cp -p, rsync -t, tar)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bt-cache-'));
  const file = join(dir, 'X_KRW_1m.csv');
  const csv = (close: number) => `timestamp,open,high,low,close,volume\n2025-09-01 00:00:00,1,9,0.5,${close},10\n`;
  const stamp = new Date('2025-09-01T00:00:00Z');
  writeFileSync(file, csv(2));
  utimesSync(file, stamp, stamp);
  const before = statSync(file);
  expect(loadMarket(file, { cacheDir: dir }).columns.close[0]).toBe(2);
  writeFileSync(file, csv(7));
  utimesSync(file, stamp, stamp);
  expect([statSync(file).size, statSync(file).mtimeMs]).toEqual([before.size, before.mtimeMs]);
  const again = loadMarket(file, { cacheDir: dir });
  expect([again.fromCache, again.columns.close[0]]).toEqual([false, 7]);
});
