import { afterEach, describe, expect, test } from 'bun:test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/db/client.ts';
import { positions } from '../src/db/schema.ts';
import { runExport } from '../src/export.ts';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** 2025-09-02 14:59 UTC is still 2025-09-02 in Seoul (23:59 KST); 15:00 UTC is 2025-09-03. */
const closed = (id: number, market: string, closedAt: number, pnlKrw: number) => ({
  id, market, state: 'closed' as const, volume: 1, exitVolume: 1, entryPrice: 100_000, entryCostKrw: 100_000, entryFeeKrw: 50,
  openedAt: closedAt - 600_000, exitPrice: 100_000 + pnlKrw, exitProceedsKrw: 100_000 + pnlKrw, exitFeeKrw: 50, closedAt,
  exitReason: pnlKrw > 0 ? 'take-profit' : 'stop-loss', pnlKrw, pnlRate: pnlKrw / 100_050, createdAt: closedAt - 600_000,
});

describe('bun run export', () => {
  test('writes the classic trade CSV and the daily PnL JSON by KST day', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-export-'));
    dirs.push(dir);
    const url = `file:${join(dir, 'bot.db')}`;
    const h = await openDatabase(url);
    await h.db.insert(positions).values([
      closed(1, 'KRW-BTC', Date.UTC(2025, 8, 2, 14, 59), 2_900),
      closed(2, 'KRW-XRP', Date.UTC(2025, 8, 2, 15, 0), -2_100),
      closed(3, 'KRW-ETH', Date.UTC(2025, 8, 2, 16, 0), 1_000),
    ]);
    h.close();
    const trades = join(dir, 'trade_history.csv');
    const daily = join(dir, 'daily_pnl.json');
    expect(await runExport(['--trades', trades, '--daily', daily, '--db', url], {})).toBe(0);
    const lines = readFileSync(trades, 'utf8').trim().split('\r\n');
    expect(lines[0]).toBe('timestamp,market,action,price,quantity,amount,profit_loss,cumulative_pnl,status');
    expect(lines).toHaveLength(1 + 6);
    expect(lines.at(-1)).toContain('SELL');
    expect(lines.at(-1)!.split(',')[7]).toBe('1800');
    expect(JSON.parse(readFileSync(daily, 'utf8'))).toEqual({ '2025-09-02': 2_900, '2025-09-03': -1_100 });
  });

  test('without an output flag it explains the usage and fails', async () => {
    expect(await runExport([], {})).toBe(2);
    expect(await runExport(['--bogus'], {})).toBe(2);
  });
});
