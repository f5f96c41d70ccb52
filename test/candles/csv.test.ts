// The one candle CSV parser (src/candles/csv.ts): the recorded files' format, the other formats it accepts, and its errors.
import { describe, expect, test } from 'bun:test';
import { CandleDataError } from '../../src/candles/columns.ts';
import { parseCandleCsv } from '../../src/candles/csv.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const iso = (ms: number) => new Date(ms).toISOString();
const T = Date.UTC(2025, 8, 1);

describe('parseCandleCsv formats', () => {
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

describe('parseCandleCsv refuses bad rows, naming the file and the line', () => {
  const H = 'timestamp,open,high,low,close,volume\n';
  const bad = (s: string) => () => parseCandleCsv(enc(s), { source: 'x.csv' });

  test('the line number counts from 1 in a file without a header', () => {
    expect(bad('2025-09-01 00:00:00,1,1,,1,1\n')).toThrow('Cannot parse x.csv line 1: expected a number');
    expect(bad('2025-09-01 00:00:00,1,1,1,1,1\r\n2025-09-01 00:01:00,1,1,,1,1\r\n')).toThrow('x.csv line 2:');
    expect(bad(`${H}\n2025-09-01 00:01:00,1,1,,1,1\n`)).toThrow('x.csv line 3:');
  });

  test('a timestamp with a non-digit or an impossible field is an error, not a shifted time', () => {
    expect(bad(`${H}2025-09-01 0a:00:00,1,1,1,1,1\n`)).toThrow('x.csv line 2: expected a timestamp');
    expect(bad(`${H}2025-13-01 00:00:00,1,1,1,1,1\n`)).toThrow('x.csv line 2: expected a timestamp');
    expect(bad(`${H}2025-09-01 00:00:00,1,1,1,1,1\n2025-09-31 24:00:00,1,1,1,1,1\n`)).toThrow('x.csv line 3: expected a timestamp');
  });

  test('text glued to the volume is an error (extra columns after a comma are still ignored)', () => {
    expect(bad(`${H}2025-09-01 00:00:00,1,1,1,1,1.5abc\n`)).toThrow('x.csv line 2: expected a comma or the end of the line after column 6');
    expect(parseCandleCsv(enc(`${H}2025-09-01 00:00:00,1,1,1,1,1.5,99\r\n`)).volume[0]).toBe(1.5);
  });

  test('prices must be positive and finite, the volume finite and not negative, the high not below the low', () => {
    expect(bad(`${H}2025-09-01 00:00:00,0,1,1,1,1\n`)).toThrow('x.csv line 2: open must be a positive price (got 0)');
    expect(bad(`${H}2025-09-01 00:00:00,1,1,1,-2,1\n`)).toThrow('x.csv line 2: close must be a positive price (got -2)');
    expect(bad(`${H}2025-09-01 00:00:00,1,1,1,1,1e400\n`)).toThrow('x.csv line 2: volume must be a finite number ≥ 0 (got Infinity)');
    expect(bad(`${H}2025-09-01 00:00:00,1,1,1,1,-1\n`)).toThrow('x.csv line 2: volume must be a finite number ≥ 0 (got -1)');
    expect(bad(`${H}2025-09-01 00:00:00,1,0.5,2,1,1\n`)).toThrow('x.csv line 2: high 0.5 is below low 2');
    expect(parseCandleCsv(enc(`${H}2025-09-01 00:00:00,1,1,1,1,0\n`)).volume[0]).toBe(0);
  });
});

describe('parseCandleCsv on the recorded files format', () => {
  test('parses rows, decimals and exponent notation exactly like parseFloat', () => {
    const cols = parseCandleCsv(enc(
      'timestamp,open,high,low,close,volume\n'
      + '2025-09-01 00:00:00,150700000.0,150803000.0,150640000.0,150803000.0,1.51931528\n'
      + '2025-09-07 18:45:00,155299000.0,155299000.0,155222000.0,155222000.0,6.968e-05\n'
      + '2025-09-07 18:47:00,298.5,299.0,297.0,298.0,646920.40246504\n',
    ));
    expect(cols.length).toBe(3);
    expect(iso(cols.time[0]!)).toBe('2025-09-01T00:00:00.000Z');
    expect(iso(cols.time[1]!)).toBe('2025-09-07T18:45:00.000Z');
    expect(cols.volume[1]).toBe(6.968e-5);
    expect(cols.volume[2]).toBe(646920.40246504);
    expect([...cols.open]).toEqual([150700000, 155299000, 298.5]);
    expect(cols.low[2]).toBe(297);
  });

  test('accepts CRLF line ends and a missing final newline', () => {
    const cols = parseCandleCsv(enc('timestamp,open,high,low,close,volume\r\n2025-09-01 00:01:00,1.5,2,1,2,0.1\r\n2025-09-01 00:02:00,2,2,2,2,3'));
    expect(cols.length).toBe(2);
    expect(cols.volume[1]).toBe(3);
    expect(cols.time[1]! - cols.time[0]!).toBe(60_000);
  });

  test('rejects a row that is not a timestamp row', () => {
    expect(() => parseCandleCsv(enc('timestamp,open,high,low,close,volume\n1693526400,1,1,1,1,1\n'))).toThrow(CandleDataError);
  });
});
