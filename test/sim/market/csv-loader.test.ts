import { describe, expect, test } from 'bun:test';
import { existsSync } from 'node:fs';
import { BUNDLED_DATA_DIR, DEFAULT_DATA_DIR, loadRecordedMarkets } from '../../../src/sim/market/csv-loader.ts';

const iso = (ms: number) => new Date(ms).toISOString();
const hasShared = existsSync(`${DEFAULT_DATA_DIR}/BTC_KRW_1m.csv`);

describe.skipIf(!hasShared)('the full shared files', () => {
  const data = loadRecordedMarkets();
  const by = Object.fromEntries(data.markets.map((m) => [m.market, m]));

  test('row counts and spans match the data README', () => {
    expect(data.source).toBe('shared');
    const rows = Object.fromEntries(data.markets.map((m) => [m.market, m.length]));
    expect(rows).toEqual({ 'KRW-BTC': 47_598, 'KRW-ETH': 47_599, 'KRW-XRP': 47_600, 'KRW-SOL': 47_587, 'KRW-DOGE': 47_385 });
    for (const m of data.markets) expect(iso(m.time[0]!)).toBe('2025-09-01T00:00:00.000Z');
    expect(iso(by['KRW-BTC']!.time[47_597]!)).toBe('2025-10-04T01:19:00.000Z');
    expect(iso(by['KRW-DOGE']!.time[47_384]!)).toBe('2025-10-04T01:17:00.000Z');
    expect(by['KRW-BTC']!.koreanName).toBe('비트코인');
    expect(by['KRW-DOGE']!.englishName).toBe('Dogecoin');
  });

  test('absent minutes stay absent: DOGE misses 213, SOL 13, BTC 2, ETH 1, XRP none', () => {
    const missing = (m: { time: Float64Array; length: number }) => (m.time[m.length - 1]! - m.time[0]!) / 60_000 + 1 - m.length;
    expect(missing(by['KRW-DOGE']!)).toBe(213);
    expect(missing(by['KRW-SOL']!)).toBe(13);
    expect(missing(by['KRW-BTC']!)).toBe(2);
    expect(missing(by['KRW-ETH']!)).toBe(1);
    expect(missing(by['KRW-XRP']!)).toBe(0);
    for (const m of data.markets) for (let i = 1; i < m.length; i++) if (m.time[i]! <= m.time[i - 1]!) throw new Error(`${m.market} not ascending at ${i}`);
  });

  test('the bundled subset is an exact slice of the shared files', () => {
    const bundled = loadRecordedMarkets({ dataDir: '/nonexistent' });
    for (const b of bundled.markets) {
      const full = by[b.market]!;
      const start = full.time.indexOf(b.time[0]!);
      expect(start).toBeGreaterThan(0);
      expect([...full.close.subarray(start, start + b.length)]).toEqual([...b.close]);
      expect([...full.volume.subarray(start, start + b.length)]).toEqual([...b.volume]);
    }
  });
});

test('falls back to the bundled 3-day subset when the shared folder is absent', () => {
  const data = loadRecordedMarkets({ dataDir: '/nonexistent/shared' });
  expect(data.source).toBe('bundled');
  expect(data.dir).toBe(BUNDLED_DATA_DIR);
  expect(data.markets.map((m) => m.market)).toEqual(['KRW-BTC', 'KRW-ETH', 'KRW-XRP', 'KRW-SOL', 'KRW-DOGE']);
  for (const m of data.markets) {
    expect(iso(m.time[0]!)).toBe('2025-09-04T00:00:00.000Z');
    expect(iso(m.time[m.length - 1]!) < '2025-09-07T00:00:00.000Z').toBe(true);
  }
  const doge = data.markets.find((m) => m.market === 'KRW-DOGE')!;
  expect(doge.length).toBe(4_234); // 86 of 4,320 minutes without a trade
  expect(data.markets.find((m) => m.market === 'KRW-XRP')!.length).toBe(4_320);
});
