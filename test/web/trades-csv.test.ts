import { describe, expect, test } from 'bun:test';
import { CSV_HEADER, csvText, toTradesCsv } from '../../src/web/trades-csv.ts';
import { openDashboard } from './helpers.ts';

const trade = (id: number, market: string, openedAt: number, closedAt: number, pnlKrw: number) => ({
  id, market, entryPrice: 1_000, exitPrice: 1_000 + pnlKrw, volume: 1, entryCostKrw: 1_000, pnlKrw, pnlRate: pnlKrw / 1_000,
  openedAt, closedAt, exitReason: pnlKrw > 0 ? 'take-profit' : 'stop-loss',
});

describe('toTradesCsv', () => {
  test('each trade is a BUY and a SELL row in time order, with the running PnL after each row', () => {
    // Overlapping trades: B opens before A closes.
    const csv = toTradesCsv([trade(2, 'KRW-B', 2_000, 5_000, -20), trade(1, 'KRW-A', 0, 3_000, 30)]);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(CSV_HEADER);
    expect(lines.slice(1).map((l) => l.split(',').slice(1, 3).join(' '))).toEqual(['KRW-A BUY', 'KRW-B BUY', 'KRW-A SELL', 'KRW-B SELL']);
    expect(lines.slice(1).map((l) => l.split(',')[7])).toEqual(['0', '0', '30', '10']);
    expect(lines[3]).toBe('1970-01-01T09:00:03+09:00,KRW-A,SELL,1030,1,1030,30,30,take-profit');
    expect(lines[1]).toBe('1970-01-01T09:00:00+09:00,KRW-A,BUY,1000,1,1000,0,0,filled');
  });

  test('text cells are quoted when needed and formulas are defused', () => {
    expect(csvText('KRW-BTC')).toBe('KRW-BTC');
    expect(csvText('a,b')).toBe('"a,b"');
    expect(csvText('say "hi"')).toBe('"say ""hi"""');
    expect(csvText('=1+1')).toBe("'=1+1");
    expect(csvText('@SUM(A1)')).toBe("'@SUM(A1)");
  });
});

describe('GET /trades.csv', () => {
  test('downloads every matching trade as an attachment with the agreed header', async () => {
    const res = await openDashboard().app.request('/trades.csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="coinbutler-trades-20261126.csv"');
    const lines = (await res.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe('timestamp,market,action,price,quantity,amount,profit_loss,cumulative_pnl,status');
    expect(lines).toHaveLength(1 + 5 * 2);
    expect(lines.at(-1)).toMatch(/^2026-11-26T12:30:00\+09:00,KRW-SOL,SELL,216300,0\.47619048,103000,2898\.5,4485\.79,take-profit$/);
  });

  test('applies the market and result filters and pages through more than one query page', async () => {
    const many = Array.from({ length: 1_203 }, (_, i) => trade(i + 1, i % 2 ? 'KRW-ODD' : 'KRW-EVEN', i * 10, i * 10 + 5, i % 3 ? 1 : -1));
    const d = openDashboard({ seed: { trades: many } });
    const all = (await (await d.app.request('/trades.csv')).text()).trimEnd().split('\r\n');
    expect(all).toHaveLength(1 + 1_203 * 2);
    const odd = (await (await d.app.request('/trades.csv?market=KRW-ODD&result=win')).text()).trimEnd().split('\r\n');
    const expected = many.filter((t) => t.market === 'KRW-ODD' && t.pnlKrw > 0).length;
    expect(odd).toHaveLength(1 + expected * 2);
    expect(odd.slice(1).every((l) => l.includes(',KRW-ODD,'))).toBe(true);
  });
});
