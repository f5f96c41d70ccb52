// Positions repository: row ↔ PositionRecord and the guarded state transitions (opening → open → closing → closed).
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Position } from '../../core/types.ts';
import type { Db } from '../client.ts';
import { positions } from '../schema.ts';

export type PositionState = (typeof positions.$inferSelect)['state'];

/**
 * A position as the bot keeps it. `volume` is what the entry bought (from fills), `exitVolume` what exits
 * sold so far; the volume still held is `heldVolume(p)`.
 */
export type PositionRecord = typeof positions.$inferSelect;

export type NewPosition = { market: string; at: number; signalRatio?: number | null; adviserDecisionId?: number | null };

export type EntryFill = { volume: number; entryPrice: number; entryCostKrw: number; entryFeeKrw: number; openedAt: number };

export type ExitTotals = {
  exitVolume: number;
  exitPrice: number | null;
  exitProceedsKrw: number;
  exitFeeKrw: number;
};

export type CloseFields = ExitTotals & {
  closedAt: number;
  exitReason: string;
  pnlKrw: number | null;
  pnlRate: number | null;
  dustVolume: number;
};

export const LIVE_POSITION_STATES: readonly PositionState[] = ['opening', 'open', 'closing'];

/** Base volume still held: bought minus sold (never negative). */
export const heldVolume = (p: Pick<PositionRecord, 'volume' | 'exitVolume'>): number => Math.max(0, p.volume - p.exitVolume);

/** The core's view of an open position (volume = what is held). */
export const toCorePosition = (p: PositionRecord): Position => ({
  market: p.market,
  volume: heldVolume(p),
  avgEntryPrice: p.entryPrice ?? 0,
  costKrw: p.entryCostKrw,
  buyFeeKrw: p.entryFeeKrw,
  openedAt: p.openedAt ?? p.createdAt,
});

/** Insert values for a new position in state `opening` (usable inside a db.batch). */
export const newPositionValues = (p: NewPosition) => ({
  market: p.market,
  state: 'opening' as const,
  signalRatio: p.signalRatio ?? null,
  adviserDecisionId: p.adviserDecisionId ?? null,
  createdAt: p.at,
});

export async function getPosition(db: Db, id: number): Promise<PositionRecord | null> {
  const [row] = await db.select().from(positions).where(eq(positions.id, id));
  return row ?? null;
}

export async function listPositions(db: Db, states: readonly PositionState[]): Promise<PositionRecord[]> {
  return db.select().from(positions).where(inArray(positions.state, [...states])).orderBy(asc(positions.id));
}

export async function listClosedPositions(db: Db, limit = 100, offset = 0): Promise<PositionRecord[]> {
  return db
    .select()
    .from(positions)
    .where(eq(positions.state, 'closed'))
    .orderBy(desc(positions.closedAt), desc(positions.id))
    .limit(limit)
    .offset(offset);
}

async function transition(db: Db, id: number, from: PositionState, set: Partial<PositionRecord>): Promise<PositionRecord | null> {
  const [row] = await db
    .update(positions)
    .set(set)
    .where(and(eq(positions.id, id), eq(positions.state, from)))
    .returning();
  return row ?? null;
}

/** opening → open with the entry's fills. Null when the position was not `opening` (already settled). */
export const markPositionOpen = (db: Db, id: number, e: EntryFill): Promise<PositionRecord | null> =>
  transition(db, id, 'opening', { state: 'open', ...e, highPrice: e.entryPrice });

/** Removes a position whose entry never filled (it never existed). True when a row was removed. */
export async function deleteUnfilledPosition(db: Db, id: number): Promise<boolean> {
  const rows = await db
    .delete(positions)
    .where(and(eq(positions.id, id), eq(positions.state, 'opening'), eq(positions.volume, 0)))
    .returning({ id: positions.id });
  return rows.length > 0;
}

/** open → closing; the guard against two closes of one position. Null when it was not `open`. */
export const beginClosing = (db: Db, id: number, reason: string): Promise<PositionRecord | null> =>
  transition(db, id, 'open', { state: 'closing', exitReason: reason });

/** closing → open (the exit sold nothing or only part), keeping what was sold so far. */
export const reopenPosition = (db: Db, id: number, exit: ExitTotals): Promise<PositionRecord | null> =>
  transition(db, id, 'closing', { state: 'open', exitReason: null, ...exit });

/** `from` → closed with the exit's totals, PnL and dust. */
export const markPositionClosed = (db: Db, id: number, from: PositionState, c: CloseFields): Promise<PositionRecord | null> =>
  transition(db, id, from, { state: 'closed', ...c });

/** Raises the highest price seen since entry (for the trailing stop); never lowers it. */
export async function raiseHighPrice(db: Db, id: number, price: number): Promise<void> {
  await db
    .update(positions)
    .set({ highPrice: sql`max(coalesce(${positions.highPrice}, 0), ${price})` })
    .where(and(eq(positions.id, id), eq(positions.state, 'open')));
}

/** Dust the bot left behind in a market (closed positions' remainders), to tell it from foreign holdings. */
export async function sumDustVolume(db: Db, market: string): Promise<number> {
  const [row] = await db
    .select({ dust: sql<number>`coalesce(sum(${positions.dustVolume}), 0)` })
    .from(positions)
    .where(and(eq(positions.market, market), eq(positions.state, 'closed')));
  return Number(row?.dust ?? 0);
}
