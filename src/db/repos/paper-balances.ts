// Paper account balances ↔ the paper_balances table, so a restart keeps the fake money.
import type { BatchItem } from 'drizzle-orm/batch';
import type { Balance } from '../../core/types.ts';
import type { Db } from '../client.ts';
import { paperBalances } from '../schema.ts';

export type PaperBalancesRepo = {
  /** Writes KRW = startKrw when the table is empty (the first start); true when it seeded. */
  seedIfEmpty(startKrw: number, now: number): Promise<boolean>;
  loadAll(): Promise<Balance[]>;
  /** An upsert of one balance, to run inside a db.batch with the order it belongs to. */
  upsert(balance: Balance, now: number): BatchItem<'sqlite'>;
};

export function createPaperBalancesRepo(db: Db): PaperBalancesRepo {
  return {
    async seedIfEmpty(startKrw, now) {
      const any = await db.select({ currency: paperBalances.currency }).from(paperBalances).limit(1);
      if (any.length > 0) return false;
      await db
        .insert(paperBalances)
        .values({ currency: 'KRW', free: startKrw, locked: 0, avgBuyPrice: 0, updatedAt: now })
        .onConflictDoNothing();
      return true;
    },
    async loadAll() {
      const rows = await db.select().from(paperBalances);
      return rows.map((r) => ({ currency: r.currency, free: r.free, locked: r.locked, avgBuyPrice: r.avgBuyPrice }));
    },
    upsert(b, now) {
      const values = { free: b.free, locked: b.locked, avgBuyPrice: b.avgBuyPrice, updatedAt: now };
      return db
        .insert(paperBalances)
        .values({ currency: b.currency, ...values })
        .onConflictDoUpdate({ target: paperBalances.currency, set: values });
    },
  };
}
