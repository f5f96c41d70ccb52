// Paper exchange orders ↔ the paper_orders table (the whole Order as JSON), so lookups survive a restart.
import { and, eq } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { MarketCode, Order } from '../../core/types.ts';
import type { Db } from '../client.ts';
import { paperOrders } from '../schema.ts';

export type PaperOrdersRepo = {
  findById(id: string): Promise<Order | null>;
  findByIdentifier(identifier: string): Promise<Order | null>;
  listOpen(market?: MarketCode): Promise<Order[]>;
  /** An upsert of one order, to run inside a db.batch with the balances it moved. */
  upsert(order: Order, now: number): BatchItem<'sqlite'>;
};

const toOrder = (row: { orderJson: string }): Order => JSON.parse(row.orderJson) as Order;

export function createPaperOrdersRepo(db: Db): PaperOrdersRepo {
  const first = async (where: ReturnType<typeof eq>): Promise<Order | null> => {
    const rows = await db.select({ orderJson: paperOrders.orderJson }).from(paperOrders).where(where).limit(1);
    return rows[0] ? toOrder(rows[0]) : null;
  };
  return {
    findById: (id) => first(eq(paperOrders.id, id)),
    findByIdentifier: (identifier) => first(eq(paperOrders.identifier, identifier)),
    async listOpen(market) {
      const open = eq(paperOrders.state, 'open');
      const rows = await db
        .select({ orderJson: paperOrders.orderJson })
        .from(paperOrders)
        .where(market ? and(open, eq(paperOrders.market, market)) : open)
        .orderBy(paperOrders.createdAt);
      return rows.map(toOrder);
    },
    upsert(order, now) {
      const values = { state: order.state, orderJson: JSON.stringify(order), updatedAt: now };
      return db
        .insert(paperOrders)
        .values({ id: order.id, identifier: order.identifier ?? order.id, market: order.market, createdAt: order.createdAt, ...values })
        .onConflictDoUpdate({ target: paperOrders.id, set: values });
    },
  };
}
