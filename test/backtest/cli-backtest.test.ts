// The backtest command end to end on the fixture tables: summary, byte-identical JSON, HTML, flag validation, sweep on workers.
import { describe, expect, test } from 'bun:test';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBacktestCli } from '../../src/backtest/cli-backtest.ts';

const FIX = join(import.meta.dir, '../fixtures/candles');
const DATA = ['--data', join(FIX, 'A_KRW_1m.csv'), '--data', join(FIX, 'B_KRW_1m.csv')];
const ENV = { PAPER_KRW: '1000000' };

async function run(args: string[]) {
  let out = '';
  let err = '';
  const code = await runBacktestCli(args, { env: ENV, out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}

describe('bun run backtest', () => {
  test('prints the summary and writes byte-identical JSON on every run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bt-cli-'));
    const a = await run([...DATA, '--json', join(dir, 'a.json')]);
    const b = await run([...DATA, '--json', join(dir, 'b.json')]);
    expect(a.code).toBe(0);
    expect(a.out).toContain('trades        2 (1 won, win rate 50.0%)');
    expect(a.out).toContain('KRW-B           1 trades     0 won        −2,099 KRW');
    const bytes = readFileSync(join(dir, 'a.json'));
    expect(bytes.equals(readFileSync(join(dir, 'b.json')))).toBe(true);
    const report = JSON.parse(bytes.toString());
    expect(Object.keys(report)).toEqual(['settings', 'summary', 'trades', 'equity']);
    expect(report.trades).toEqual([
      { market: 'KRW-A', entryTime: Date.UTC(2025, 8, 2, 0, 25), entryPrice: 100, exitTime: Date.UTC(2025, 8, 2, 0, 26), exitPrice: 103, volume: 1000, pnl: 2898.5, reason: 'take-profit' },
      { market: 'KRW-B', entryTime: Date.UTC(2025, 8, 2, 0, 30), entryPrice: 5000, exitTime: Date.UTC(2025, 8, 2, 0, 30), exitPrice: 4900, volume: 20, pnl: -2099, reason: 'stop-loss' },
    ]);
    expect(report.equity.at(-1).equity).toBeCloseTo(1_000_000 + 2898.5 - 2099, 6);
  });

  test('setting overrides change the run and --from/--to cut the data', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bt-cli-'));
    await run([...DATA, '--profit-rate', '0.05', '--loss-rate=-0.03', '--json', join(dir, 'r.json')]);
    const r = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
    expect(r.settings).toMatchObject({ profitRate: 0.05, lossRate: -0.03, initialKrw: 1_000_000 });
    expect(r.trades.map((t: { reason: string }) => t.reason)).toEqual(['end-of-data', 'end-of-data']);
    const cut = await run([...DATA, '--from', '2025-09-02T00:27:00Z']);
    expect(cut.out).toContain('trades        0');
  });

  test('bad flags are refused with a message naming the flag', async () => {
    expect(await run([...DATA, '--profit-rate', 'abc'])).toMatchObject({ code: 2, err: expect.stringContaining('Invalid --profit-rate') });
    expect((await run([...DATA, '--max-positions', '1.5'])).err).toContain('Invalid --max-positions: expected a whole number');
    expect((await run([...DATA, '--loss-rate', '0.02'])).err).toContain('Invalid --loss-rate');
    expect((await run([...DATA, '--bogus', '1'])).err).toContain('Unknown option --bogus');
    expect((await run(['--profit-rate', '0.02'])).err).toContain('Missing --data');
    expect((await run([...DATA, '--from', 'yesterday'])).err).toContain('Invalid --from');
  });

  test('--html writes one self-contained page with the chart library, markers and equity', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'bt-cli-')), 'r.html');
    expect((await run([...DATA, '--html', file])).code).toBe(0);
    const html = readFileSync(file, 'utf8');
    expect(html).toContain('LightweightCharts');
    expect(html).not.toMatch(/<script[^>]+src=/);
    const data = JSON.parse(/<script id="data" type="application\/json">(.*?)<\/script>/s.exec(html)![1]!);
    expect(data.markets.map((m: { market: string }) => m.market)).toEqual(['KRW-A', 'KRW-B']);
    expect(data.markets[0].markers.map((m: { text: string }) => m.text)).toEqual(['buy', 'take-profit']);
    expect(data.equity.length).toBeGreaterThan(0);
  });

  test('--sweep runs the grid on workers and ranks by PnL, ties by drawdown', async () => {
    const r = await run([...DATA, '--sweep', 'profit-rate=0.02:0.04:0.01,loss-rate=-0.03:-0.02:0.01', '--workers', '2']);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toMatch(/^#\s+profit-rate\s+loss-rate\s+trades/);
    expect(lines).toHaveLength(7);
    const pnl = lines.slice(1).map((l) => Number(l.trim().split(/\s+/)[5]!.replace(/,/g, '')));
    expect(pnl).toEqual([...pnl].sort((a, b) => b - a));
    expect((await run([...DATA, '--sweep', 'nonsense=1:2:1'])).err).toContain('Invalid --sweep');
  });
});
