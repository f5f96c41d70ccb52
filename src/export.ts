// `bun run export -- --trades trade_history.csv --daily daily_pnl.json`: the classic files from the bot's db.
import { parseArgs } from 'node:util';
import { dailyPnl, tradesPage } from './bot/queries-trades.ts';
import type { TradeView } from './bot/view.ts';
import { loadConfig } from './config.ts';
import { DAY_MS } from './core/time.ts';
import { openDatabase, type Db } from './db/client.ts';
import { toTradesCsv } from './web/trades-csv.ts';

const PAGE = 1_000;

export async function allTrades(db: Db): Promise<TradeView[]> {
  const out: TradeView[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await tradesPage(db, { limit: PAGE, offset });
    out.push(...page.items);
    if (page.items.length < PAGE) return out;
  }
}

/** `{"YYYY-MM-DD": pnl}` by Asia/Seoul day, oldest first, every day with a trade. */
export async function dailyPnlJson(db: Db, now: number): Promise<string> {
  const days = await dailyPnl(db, now, 100_000);
  return `${JSON.stringify(Object.fromEntries(days.map((d) => [d.day, Math.round(d.pnlKrw * 100) / 100])), null, 2)}\n`;
}

export async function runExport(args: string[], env: Record<string, string | undefined> = process.env): Promise<number> {
  let values: { trades?: string; daily?: string; db?: string };
  try {
    ({ values } = parseArgs({ args, options: { trades: { type: 'string' }, daily: { type: 'string' }, db: { type: 'string' } }, strict: true }));
  } catch (err) {
    console.error(`coinbutler export: ${(err as Error).message}`);
    return 2;
  }
  if (!values.trades && !values.daily) {
    console.error('usage: bun run export -- [--trades trade_history.csv] [--daily daily_pnl.json] [--db file:./data/coinbutler.db]');
    return 2;
  }
  const url = values.db ?? loadConfig(env).DATABASE_URL;
  const { db, close } = await openDatabase(url, env.DATABASE_AUTH_TOKEN);
  try {
    if (values.trades) {
      const trades = await allTrades(db);
      await Bun.write(values.trades, toTradesCsv(trades));
      console.log(`${trades.length} trades → ${values.trades}`);
    }
    if (values.daily) {
      await Bun.write(values.daily, await dailyPnlJson(db, Date.now() + DAY_MS));
      console.log(`daily PnL → ${values.daily}`);
    }
    return 0;
  } finally {
    close();
  }
}
