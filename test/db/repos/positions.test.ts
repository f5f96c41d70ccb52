// Positions repo: guarded transitions (the double-close guard) and one live position per market.
import { afterEach, describe, expect, test } from 'bun:test';
import type { DbHandle } from '../../../src/db/client.ts';
import { positions } from '../../../src/db/schema.ts';
import {
  beginClosing, deleteUnfilledPosition, heldVolume, markPositionClosed, markPositionOpen, newPositionValues, raiseHighPrice, sumDustVolume, toCorePosition,
} from '../../../src/db/repos/positions.ts';
import { openTestDb } from '../../helpers/test-db.ts';

const handles: DbHandle[] = [];
afterEach(() => handles.splice(0).forEach((h) => h.close()));
async function withOpening(market = 'KRW-XRP') {
  const h = await openTestDb();
  handles.push(h);
  const [p] = await h.db.insert(positions).values(newPositionValues({ market, at: 1 })).returning();
  return { db: h.db, id: p!.id };
}
const entry = { volume: 10, entryPrice: 3_000, entryCostKrw: 30_000, entryFeeKrw: 15, openedAt: 5 };
const close = { exitVolume: 10, exitPrice: 3_100, exitProceedsKrw: 31_000, exitFeeKrw: 15.5, closedAt: 9, exitReason: 'take-profit', pnlKrw: 969.5, pnlRate: 0.032, dustVolume: 0 };

describe('positions repo', () => {
  test('opening → open → closing → closed, each step only from its own state', async () => {
    const { db, id } = await withOpening();
    expect(await beginClosing(db, id, 'stop-loss')).toBeNull();
    const opened = await markPositionOpen(db, id, entry);
    expect(opened).toMatchObject({ state: 'open', volume: 10, highPrice: 3_000 });
    expect(await markPositionOpen(db, id, entry)).toBeNull();
    expect(await beginClosing(db, id, 'stop-loss')).toMatchObject({ state: 'closing', exitReason: 'stop-loss' });
    expect(await beginClosing(db, id, 'manual')).toBeNull();
    expect(await markPositionClosed(db, id, 'closing', close)).toMatchObject({ state: 'closed', pnlKrw: 969.5 });
    expect(await deleteUnfilledPosition(db, id)).toBe(false);
  });

  test('a second live position in the same market is refused by the database', async () => {
    const { db } = await withOpening('KRW-BTC');
    const err = await db.insert(positions).values(newPositionValues({ market: 'KRW-BTC', at: 2 })).then(() => null, (e: Error) => e);
    expect(String(err?.cause)).toContain('UNIQUE constraint failed: positions.market');
  });

  test('held volume, the core view, the high-water mark and the dust sum', async () => {
    const { db, id } = await withOpening();
    const p = (await markPositionOpen(db, id, entry))!;
    expect(heldVolume({ volume: 10, exitVolume: 4 })).toBe(6);
    expect(toCorePosition(p)).toEqual({ market: 'KRW-XRP', volume: 10, avgEntryPrice: 3_000, costKrw: 30_000, buyFeeKrw: 15, openedAt: 5 });
    await raiseHighPrice(db, id, 3_200);
    await raiseHighPrice(db, id, 3_100);
    await beginClosing(db, id, 'x');
    const closed = await markPositionClosed(db, id, 'closing', { ...close, dustVolume: 0.25 });
    expect(closed!.highPrice).toBe(3_200);
    expect(await sumDustVolume(db, 'KRW-XRP')).toBe(0.25);
  });
});
