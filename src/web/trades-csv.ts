// GET /trades.csv: every matching trade as a BUY row and a SELL row, oldest first, with the running PnL.
// Columns: timestamp (ISO 8601, +09:00), market, action (BUY|SELL), price, quantity, amount (KRW, price × quantity),
// profit_loss (KRW, on SELL rows; 0 on BUY rows), cumulative_pnl (KRW after the row), status (filled | the exit reason).
import { Hono } from 'hono';
import type { DashboardQueries, TradeFilter, TradeView } from '../bot/view.ts';
import { toDecimalString } from '../core/ticks.ts';
import { kstDayOf } from '../core/time.ts';
import { toKstIso } from './format.ts';
import { parseViewParams } from './view-params.ts';

export const CSV_HEADER = 'timestamp,market,action,price,quantity,amount,profit_loss,cumulative_pnl,status';
const PAGE = 500;

/** Quotes a text cell when needed and defuses spreadsheet formulas (=, +, -, @ at the start). */
export function csvText(s: string): string {
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const num = (n: number, decimals: number) => {
  const s = toDecimalString(n, decimals);
  return s === '-0' ? '0' : s;
};

/** Pure: trades (any order) → CSV text with a trailing newline. */
export function toTradesCsv(trades: TradeView[]): string {
  type Row = { at: number; order: number; cells: (cum: number) => string[]; pnl: number };
  const rows: Row[] = trades.flatMap((t): Row[] => [
    {
      at: t.openedAt, order: 0, pnl: 0,
      cells: (cum) => [toKstIso(t.openedAt), csvText(t.market), 'BUY', num(t.entryPrice, 8), num(t.volume, 8), num(t.entryCostKrw, 2), '0', num(cum, 2), 'filled'],
    },
    {
      at: t.closedAt, order: 1, pnl: t.pnlKrw,
      cells: (cum) => [toKstIso(t.closedAt), csvText(t.market), 'SELL', num(t.exitPrice, 8), num(t.volume, 8), num(t.exitPrice * t.volume, 2), num(t.pnlKrw, 2), num(cum, 2), csvText(t.exitReason)],
    },
  ]);
  rows.sort((a, b) => a.at - b.at || a.order - b.order);
  let cum = 0;
  const lines = rows.map((r) => {
    cum += r.pnl;
    return r.cells(cum).join(',');
  });
  return `${[CSV_HEADER, ...lines].join('\r\n')}\r\n`;
}

async function fetchAll(q: DashboardQueries, filter: TradeFilter): Promise<TradeView[]> {
  const out: TradeView[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await q.trades({ ...filter, limit: PAGE, offset });
    out.push(...page.items);
    if (page.items.length < PAGE || out.length >= page.total) return out;
  }
}

export function createTradesCsv(deps: { queries: DashboardQueries; now: () => number }) {
  const app = new Hono();
  app.get('/trades.csv', async (c) => {
    const p = parseViewParams(c.req.query());
    if (p.badMarket !== undefined) return c.text(`market: "${p.badMarket}" is not a market code such as KRW-BTC (or BTC)\n`, 400);
    const filter: TradeFilter = { ...(p.market ? { market: p.market } : {}), ...(p.result ? { result: p.result } : {}) };
    const csv = toTradesCsv(await fetchAll(deps.queries, filter));
    const day = kstDayOf(deps.now()).replace(/-/g, '');
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="coinbutler-trades-${day}.csv"`);
    c.header('Cache-Control', 'no-store');
    return c.body(csv);
  });
  return app;
}
