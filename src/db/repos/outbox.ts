// The notification outbox ↔ the outbox table: enqueue, find due rows, claim one with a lease, mark it sent/retry/failed.
import { and, asc, count, eq, gt, inArray, lt, lte, notExists, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from '../client.ts';
import { outbox } from '../schema.ts';

export type OutboxStatus = 'pending' | 'sent' | 'failed';
export type NewOutboxRow = { channel: string; eventType: string; payloadJson: string; createdAt: number };
export type OutboxRow = typeof outbox.$inferSelect;

export type OutboxRepo = {
  /** The insert of one row per channel, to run alone or inside a db.batch with the event it belongs to. */
  enqueueQuery(rows: NewOutboxRow[]): BatchItem<'sqlite'>;
  enqueue(rows: NewOutboxRow[]): Promise<void>;
  /**
   * Pending rows whose next attempt is due, oldest first. A row waits while an earlier pending row of
   * its channel is not due (backing off or claimed), so each channel's messages keep their order.
   */
  listDue(now: number, limit: number): Promise<OutboxRow[]>;
  /**
   * Takes a due row for one delivery attempt: moves its next attempt to `leaseUntil` and counts the
   * attempt, only if nobody else did since it was read. False means another dispatcher has it.
   */
  claim(row: Pick<OutboxRow, 'id' | 'nextAttemptAt'>, leaseUntil: number): Promise<boolean>;
  /** Pending → sent, once; false when the row was not pending any more. */
  markSent(id: number, at: number): Promise<boolean>;
  markRetry(id: number, nextAttemptAt: number, error: string): Promise<boolean>;
  markFailed(id: number, error: string): Promise<boolean>;
  get(id: number): Promise<OutboxRow | null>;
  countByStatus(): Promise<Record<OutboxStatus, number>>;
  /** Deletes sent and failed rows created before `before`; pending rows are never pruned. */
  prune(before: number): Promise<number>;
};

export function createOutboxRepo(db: Db): OutboxRepo {
  const pending = (id: number) => and(eq(outbox.id, id), eq(outbox.status, 'pending'));
  const enqueueQuery = (rows: NewOutboxRow[]) =>
    db.insert(outbox).values(rows.map((r) => ({ ...r, status: 'pending' as const, attempts: 0, nextAttemptAt: r.createdAt })));
  return {
    enqueueQuery,
    async enqueue(rows) {
      if (rows.length > 0) await enqueueQuery(rows);
    },
    listDue(now, limit) {
      const earlier = alias(outbox, 'earlier');
      const blocked = db
        .select({ one: sql`1` })
        .from(earlier)
        .where(and(eq(earlier.channel, outbox.channel), eq(earlier.status, 'pending'), lt(earlier.id, outbox.id), gt(earlier.nextAttemptAt, now)));
      return db
        .select()
        .from(outbox)
        .where(and(eq(outbox.status, 'pending'), lte(outbox.nextAttemptAt, now), notExists(blocked)))
        .orderBy(asc(outbox.id))
        .limit(limit);
    },
    async claim(row, leaseUntil) {
      const res = await db
        .update(outbox)
        .set({ nextAttemptAt: leaseUntil, attempts: sql`${outbox.attempts} + 1` })
        .where(and(pending(row.id), eq(outbox.nextAttemptAt, row.nextAttemptAt)));
      return res.rowsAffected === 1;
    },
    async markSent(id, at) {
      const res = await db.update(outbox).set({ status: 'sent', sentAt: at, lastError: null }).where(pending(id));
      return res.rowsAffected === 1;
    },
    async markRetry(id, nextAttemptAt, error) {
      const res = await db.update(outbox).set({ nextAttemptAt, lastError: error }).where(pending(id));
      return res.rowsAffected === 1;
    },
    async markFailed(id, error) {
      const res = await db.update(outbox).set({ status: 'failed', lastError: error }).where(pending(id));
      return res.rowsAffected === 1;
    },
    async get(id) {
      const [row] = await db.select().from(outbox).where(eq(outbox.id, id)).limit(1);
      return row ?? null;
    },
    async countByStatus() {
      const rows = await db.select({ status: outbox.status, n: count() }).from(outbox).groupBy(outbox.status);
      const out: Record<OutboxStatus, number> = { pending: 0, sent: 0, failed: 0 };
      for (const r of rows) out[r.status] = r.n;
      return out;
    },
    async prune(before) {
      const res = await db.delete(outbox).where(and(inArray(outbox.status, ['sent', 'failed']), lt(outbox.createdAt, before)));
      return res.rowsAffected;
    },
  };
}
