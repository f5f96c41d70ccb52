// Strategy sync against a real in-memory db: an unresolved entry holds its slot.
import { afterEach, describe, expect, test } from 'bun:test';
import { createStrategySync } from '../../src/bot/strategy-sync.ts';
import type { StrategySettings } from '../../src/core/strategy.ts';
import type { DbHandle } from '../../src/db/client.ts';
import { deleteUnfilledPosition, markPositionOpen, newPositionValues } from '../../src/db/repos/positions.ts';
import { positions } from '../../src/db/schema.ts';
import { openTestDb } from '../helpers/test-db.ts';
import { at, harness } from '../core/decide-harness.ts';

const handles: DbHandle[] = [];
afterEach(() => handles.splice(0).forEach((h) => h.close()));

const MARKETS = ['KRW-A', 'KRW-B', 'KRW-C', 'KRW-D'];
const SETTINGS: Partial<StrategySettings> = { maxPositions: 3, cooldownMinutes: 0 };

async function setup() {
  const handle = await openTestDb();
  handles.push(handle);
  const db = handle.db;
  const h = harness(MARKETS, SETTINGS, { fills: 'external', autoEnter: false, initialKrw: 10_000_000 });
  const sync = createStrategySync({ db, strategy: h.s, cooldownMinutes: 0, hasSellInFlight: () => false });
  async function opening(market: string): Promise<number> {
    const [p] = await db.insert(positions).values(newPositionValues({ market, at: at(0) })).returning();
    return p!.id;
  }
  async function open(market: string, entryPrice = 100, volume = 10): Promise<number> {
    const id = await opening(market);
    await markPositionOpen(db, id, { volume, entryPrice, entryCostKrw: entryPrice * volume, entryFeeKrw: 0.5, openedAt: at(1) });
    return id;
  }
  return { db, h, sync, opening, open };
}

describe('strategy sync: an entry whose outcome is unknown', () => {
  /** Four flat buckets, then a volume spike in D: D is the only candidate of the close at minute 25. */
  function spikeD(h: ReturnType<typeof harness>): void {
    h.warmUp();
    h.run(20, 24, 100, { 'KRW-D': 3 });
    expect(h.s.closeUpTo(at(25))).toBe(1);
    expect(h.s.candidates.count).toBe(1);
    expect(h.s.candidates.market[0]).toBe(h.idx('KRW-D'));
  }

  async function restoredWithOpening() {
    const t = await setup();
    await t.open('KRW-A');
    await t.open('KRW-B');
    const pendingId = await t.opening('KRW-C');
    await t.sync.restore(at(0));
    return { ...t, pendingId };
  }

  test('after a restart it holds its slot: 2 open + 1 unresolved of 3 refuses a new entry', async () => {
    const { h } = await restoredWithOpening();
    expect(h.s.stats()).toMatchObject({ openPositions: 2, pendingEntries: 1 });
    expect(h.s.position(h.idx('KRW-C'))).toMatchObject({ state: 'pending' });
    spikeD(h);
    expect(h.s.enter(h.idx('KRW-D'), at(25))).toMatchObject({ ok: false, rule: 'max-positions' });
  });

  test('when it fills, the sync confirms it as open (3 open, none pending)', async () => {
    const { db, h, sync, pendingId } = await restoredWithOpening();
    await markPositionOpen(db, pendingId, { volume: 20, entryPrice: 50, entryCostKrw: 1_000, entryFeeKrw: 0.5, openedAt: at(3) });
    await sync.syncMarkets(MARKETS, at(4));
    expect(h.s.stats()).toMatchObject({ openPositions: 3, pendingEntries: 0 });
    expect(h.s.position(h.idx('KRW-C'))).toMatchObject({ state: 'open', entryPrice: 50, volume: 20, highPrice: 50 });
    spikeD(h);
    expect(h.s.enter(h.idx('KRW-D'), at(25))).toMatchObject({ ok: false, rule: 'max-positions' });
  });

  test('when it never filled, the sync frees its slot and a new entry is allowed', async () => {
    const { db, h, sync, pendingId } = await restoredWithOpening();
    expect(await deleteUnfilledPosition(db, pendingId)).toBe(true);
    await sync.syncMarkets(MARKETS, at(4));
    expect(h.s.stats()).toMatchObject({ openPositions: 2, pendingEntries: 0 });
    expect(h.s.position(h.idx('KRW-C'))).toBeNull();
    spikeD(h);
    expect(h.s.enter(h.idx('KRW-D'), at(25))).toEqual({ ok: true });
  });

  test('an unresolved entry seen by a later sync (not at restore) also holds its slot', async () => {
    const { h, sync, opening } = await setup();
    await opening('KRW-C');
    await sync.syncMarkets(MARKETS, at(0));
    expect(h.s.stats()).toMatchObject({ openPositions: 0, pendingEntries: 1 });
  });
});
