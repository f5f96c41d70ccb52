// Orders repository: the write-ahead order log (row ↔ StoredOrder) and its state transitions.
import { and, asc, eq, inArray, or, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { orders } from '../schema.ts';

export type OrderRowState = (typeof orders.$inferSelect)['state'];
export type OrderPurpose = (typeof orders.$inferSelect)['purpose'];

/** An order as the bot keeps it. `state` follows the write-ahead lifecycle (see schema.ts). */
export type StoredOrder = {
  id: number;
  identifier: string;
  exchangeOrderId: string | null;
  market: string;
  side: 'buy' | 'sell';
  kind: 'market' | 'limit' | 'best';
  purpose: OrderPurpose;
  positionId: number | null;
  amountKrw: number | null;
  volume: number | null;
  limitPrice: number | null;
  state: OrderRowState;
  executedVolume: number;
  avgPrice: number | null;
  paidFee: number;
  error: string | null;
  rawJson: string | null;
  resolveAttempts: number;
  createdAt: number;
  updatedAt: number;
};

export type NewOrder = Pick<StoredOrder, 'identifier' | 'market' | 'side' | 'kind' | 'purpose'> &
  Partial<Pick<StoredOrder, 'positionId' | 'amountKrw' | 'volume' | 'limitPrice'>> & { at: number };

export type OrderPatch = Partial<
  Pick<StoredOrder, 'exchangeOrderId' | 'state' | 'executedVolume' | 'avgPrice' | 'paidFee' | 'error' | 'rawJson' | 'resolveAttempts'>
>;

/** States after which the exchange will never change the order again. */
export const FINAL_ORDER_STATES: readonly OrderRowState[] = ['done', 'cancelled', 'rejected', 'absent'];
/** States that still need the exchange to tell us how the order ended. */
export const UNRESOLVED_ORDER_STATES: readonly OrderRowState[] = ['submitting', 'unknown', 'open'];

export const isFinalOrderState = (state: OrderRowState): boolean => FINAL_ORDER_STATES.includes(state);

const toStoredOrder = (row: typeof orders.$inferSelect): StoredOrder => ({ ...row });

/** Values for inserting a new order row in state `submitting` (usable inside a db.batch). */
export const newOrderValues = (o: NewOrder) => ({
  identifier: o.identifier,
  market: o.market,
  side: o.side,
  kind: o.kind,
  purpose: o.purpose,
  positionId: o.positionId ?? null,
  amountKrw: o.amountKrw ?? null,
  volume: o.volume ?? null,
  limitPrice: o.limitPrice ?? null,
  state: 'submitting' as const,
  createdAt: o.at,
  updatedAt: o.at,
});

/** Writes the order row in state `submitting`; throws on a duplicate identifier (UNIQUE). */
export async function insertOrder(db: Db, o: NewOrder): Promise<StoredOrder> {
  const [row] = await db.insert(orders).values(newOrderValues(o)).returning();
  return toStoredOrder(row!);
}

export async function getOrder(db: Db, id: number): Promise<StoredOrder | null> {
  const [row] = await db.select().from(orders).where(eq(orders.id, id));
  return row ? toStoredOrder(row) : null;
}

export async function getOrderByIdentifier(db: Db, identifier: string): Promise<StoredOrder | null> {
  const [row] = await db.select().from(orders).where(eq(orders.identifier, identifier));
  return row ? toStoredOrder(row) : null;
}

/** Orders in `submitting`, `unknown` or `open`, oldest first. */
export async function listUnresolvedOrders(db: Db): Promise<StoredOrder[]> {
  const rows = await db
    .select()
    .from(orders)
    .where(inArray(orders.state, [...UNRESOLVED_ORDER_STATES]))
    .orderBy(asc(orders.id));
  return rows.map(toStoredOrder);
}

export async function listOrdersForPosition(db: Db, positionId: number): Promise<StoredOrder[]> {
  const rows = await db.select().from(orders).where(eq(orders.positionId, positionId)).orderBy(asc(orders.id));
  return rows.map(toStoredOrder);
}

/** Updates an order unless it is already final: a final order is never moved again. Returns the new row or null. */
export async function updateOrder(db: Db, id: number, patch: OrderPatch, at: number): Promise<StoredOrder | null> {
  const [row] = await db
    .update(orders)
    .set({ ...patch, updatedAt: at })
    .where(and(eq(orders.id, id), inArray(orders.state, [...UNRESOLVED_ORDER_STATES])))
    .returning();
  return row ? toStoredOrder(row) : null;
}

/** Counts one more failed attempt to learn an order's fate. */
export async function bumpResolveAttempts(db: Db, id: number, error: string, at: number): Promise<void> {
  await db
    .update(orders)
    .set({ resolveAttempts: sql`${orders.resolveAttempts} + 1`, error, updatedAt: at })
    .where(eq(orders.id, id));
}

/** Refreshes the totals of an order already `done`/`cancelled` (late fills in a lookup); its state never changes. */
export async function updateFinalOrderTotals(
  db: Db,
  id: number,
  patch: Pick<OrderPatch, 'executedVolume' | 'avgPrice' | 'paidFee' | 'rawJson'>,
  at: number,
): Promise<StoredOrder | null> {
  const [row] = await db
    .update(orders)
    .set({ ...patch, updatedAt: at })
    .where(and(eq(orders.id, id), inArray(orders.state, ['done', 'cancelled'])))
    .returning();
  return row ? toStoredOrder(row) : null;
}

/**
 * Which of these exchange orders the bot placed: an order whose identifier or exchange id is in the order log.
 * Returns their exchange ids. Used to tell the owner's orders (placed in the Upbit app) from the bot's.
 */
export async function findOwnOrderIds(db: Db, list: ReadonlyArray<{ id: string; identifier: string | null }>): Promise<Set<string>> {
  const own = new Set<string>();
  for (let i = 0; i < list.length; i += 400) {
    const chunk = list.slice(i, i + 400);
    const identifiers = chunk.flatMap((o) => (o.identifier === null ? [] : [o.identifier]));
    const ids = chunk.map((o) => o.id);
    const rows = await db
      .select({ identifier: orders.identifier, exchangeOrderId: orders.exchangeOrderId })
      .from(orders)
      .where(or(identifiers.length > 0 ? inArray(orders.identifier, identifiers) : undefined, inArray(orders.exchangeOrderId, ids)));
    const knownIds = new Set(rows.map((r) => r.exchangeOrderId));
    const knownIdentifiers = new Set(rows.map((r) => r.identifier));
    for (const o of chunk) if (knownIds.has(o.id) || (o.identifier !== null && knownIdentifiers.has(o.identifier))) own.add(o.id);
  }
  return own;
}
