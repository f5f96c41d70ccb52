// Fills repository: real trades from the exchange, idempotent by trade id, and their totals.
import { asc, eq, inArray } from 'drizzle-orm';
import type { Fill } from '../../core/types.ts';
import type { Db } from '../client.ts';
import { fills } from '../schema.ts';

export type StoredFill = Fill & { orderId: number; market: string; rawJson: string | null };

export type FillTotals = {
  volume: number;
  /** KRW value of the fills before fees (Σ funds). */
  fundsKrw: number;
  /** Volume-weighted average price; null without fills. */
  avgPrice: number | null;
  /** Time of the first fill; null without fills. */
  firstTime: number | null;
  /** Price of the latest fill; null without fills. */
  lastPrice: number | null;
  count: number;
};

const toStoredFill = (row: typeof fills.$inferSelect): StoredFill => ({
  tradeId: row.tradeId,
  orderId: row.orderId,
  market: row.market,
  side: row.side,
  price: row.price,
  volume: row.volume,
  funds: row.fundsKrw,
  time: row.time,
  rawJson: row.rawJson,
});

/** Insert values for a batch of fills of one order; a known trade id is skipped (ON CONFLICT DO NOTHING). */
export const fillValues = (orderId: number, market: string, list: Fill[]) =>
  list.map((f) => ({
    tradeId: f.tradeId,
    orderId,
    market,
    side: f.side,
    price: f.price,
    volume: f.volume,
    fundsKrw: f.funds,
    time: f.time,
    rawJson: JSON.stringify(f),
  }));

/** Records fills; returns how many were new. Recording the same trade twice is a no-op. */
export async function insertFills(db: Db, orderId: number, market: string, list: Fill[]): Promise<number> {
  if (list.length === 0) return 0;
  const rows = await db.insert(fills).values(fillValues(orderId, market, list)).onConflictDoNothing().returning();
  return rows.length;
}

export async function listFillsForOrder(db: Db, orderId: number): Promise<StoredFill[]> {
  const rows = await db.select().from(fills).where(eq(fills.orderId, orderId)).orderBy(asc(fills.time), asc(fills.tradeId));
  return rows.map(toStoredFill);
}

export async function listFillsForOrders(db: Db, orderIds: number[]): Promise<StoredFill[]> {
  if (orderIds.length === 0) return [];
  const rows = await db
    .select()
    .from(fills)
    .where(inArray(fills.orderId, orderIds))
    .orderBy(asc(fills.time), asc(fills.tradeId));
  return rows.map(toStoredFill);
}

/** Totals of a list of fills (pure). */
export function totalFills(list: ReadonlyArray<Pick<Fill, 'price' | 'volume' | 'funds' | 'time'>>): FillTotals {
  let volume = 0;
  let fundsKrw = 0;
  let firstTime: number | null = null;
  let lastTime = -Infinity;
  let lastPrice: number | null = null;
  for (const f of list) {
    volume += f.volume;
    fundsKrw += f.funds;
    if (firstTime === null || f.time < firstTime) firstTime = f.time;
    if (f.time >= lastTime) {
      lastTime = f.time;
      lastPrice = f.price;
    }
  }
  return { volume, fundsKrw, avgPrice: volume > 0 ? fundsKrw / volume : null, firstTime, lastPrice, count: list.length };
}
