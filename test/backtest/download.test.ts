// `bun run download` pages /v1/candles/minutes through the real Upbit client against the simulator (stepped clock) into backtest CSV.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCandleCsv } from '../../src/candles/csv.ts';
import { parseDownloadArgs, runDownloadCli } from '../../src/backtest/cli-download.ts';
import { downloadCandles, toCandleCsv } from '../../src/backtest/download.ts';
import type { Candle } from '../../src/core/types.ts';
import type { CandleQuery } from '../../src/exchange/exchange.ts';
import { loadRecordedMarkets } from '../../src/sim/market/csv-loader.ts';
import { startSimulator, type Simulator } from '../../src/sim/server.ts';

const FROM = Date.UTC(2025, 8, 5, 20, 0);
const TO = Date.UTC(2025, 8, 6, 3, 0);
let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({ speed: 0, startAt: TO + 30 * 60_000, stepIntervalMs: 0, syntheticCount: 2, seed: 1, wsHub: null });
});
afterAll(() => sim.stop());

describe('bun run download', () => {
  test('pages 420 minutes backwards into CSV rows equal to the recorded candles, gaps included', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'bt-dl-')), 'DOGE_KRW_1m.csv');
    let log = '';
    const code = await runDownloadCli(
      ['--market', 'KRW-DOGE', '--unit', '1', '--from', new Date(FROM).toISOString(), '--to', new Date(TO).toISOString(), '--out', out, '--rest-url', sim.restUrl],
      { env: {}, err: (t) => void (log += t) },
    );
    expect(code).toBe(0);
    const got = parseCandleCsv(new Uint8Array(readFileSync(out)));
    const doge = loadRecordedMarkets().markets.find((m) => m.market === 'KRW-DOGE')!;
    const want: number[] = [];
    for (let i = 0; i < doge.length; i++) if (doge.time[i]! >= FROM && doge.time[i]! < TO) want.push(i);
    expect(got.length).toBe(want.length);
    expect(want.length).toBeLessThan(420); // DOGE has minutes without trades here
    expect([...got.time]).toEqual(want.map((i) => doge.time[i]!));
    expect([...got.close]).toEqual(want.map((i) => doge.close[i]!));
    expect([...got.high]).toEqual(want.map((i) => doge.high[i]!));
    got.volume.forEach((v, k) => expect(v).toBeCloseTo(doge.volume[want[k]!]!, 8));
    expect(log).toContain(`wrote ${want.length} candles`);
  });

  test('bad arguments are refused naming the flag', async () => {
    let err = '';
    const io = { env: {}, err: (t: string) => void (err += t) };
    expect(await runDownloadCli(['--market', 'KRW-BTC', '--unit', '7', '--from', '2025-09-01', '--out', 'x.csv'], io)).toBe(2);
    expect(err).toContain('Invalid --unit');
    expect(await runDownloadCli(['--market', 'BTC', '--from', '2025-09-01', '--out', 'x.csv'], io)).toBe(2);
    expect(err).toContain('Invalid --market');
  });
});

test('downloadCandles asks for 200 at a time with an exclusive `to`, stops at `from`, and keeps from ≤ t < to', async () => {
  const MIN = 60_000;
  const asked: CandleQuery[] = [];
  const fetchCandles = async (q: CandleQuery): Promise<Candle[]> => {
    asked.push(q);
    const list: Candle[] = [];
    for (let t = q.to! - MIN * q.count!; t < q.to!; t += MIN) {
      if (t >= 0) list.push({ market: q.market, openTime: t, open: 1, high: 1, low: 1, close: 1, volume: 1, turnoverKrw: 1 });
    }
    return list;
  };
  const got = await downloadCandles({ fetchCandles }, { market: 'KRW-X', unit: 1, from: 50 * MIN, to: 500 * MIN });
  expect(got.map((c) => c.openTime)).toEqual(Array.from({ length: 450 }, (_, i) => (50 + i) * MIN));
  expect(asked.map((q) => [q.to, q.count])).toEqual([[500 * MIN, 200], [300 * MIN, 200], [100 * MIN, 200]]);
  expect(toCandleCsv(got.slice(0, 1))).toBe('timestamp,open,high,low,close,volume\n1970-01-01 00:50:00,1,1,1,1,1\n');
});

test('the candle still forming at the moment of the download is left out: --to (default now) stops at the start of the current unit', () => {
  const now = Date.UTC(2025, 8, 1, 12, 34, 30);
  const args = (extra: string[]) => parseDownloadArgs(['--market', 'KRW-BTC', '--from', '2025-09-01', '--out', 'x.csv', ...extra], now);
  expect(args([]).to).toBe(Date.UTC(2025, 8, 1, 12, 34));
  expect(args(['--unit', '5']).to).toBe(Date.UTC(2025, 8, 1, 12, 30));
  expect(args(['--unit', '240', '--to', '2025-09-02']).to).toBe(Date.UTC(2025, 8, 1, 12, 0));
  expect(args(['--to', '2025-09-01T06:00:30Z']).to).toBe(Date.UTC(2025, 8, 1, 6, 0, 30)); // a past --to is kept as given
});
