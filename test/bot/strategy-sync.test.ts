// Strategy sync against a real in-memory db: the trailing high survives a re-seat and is saved throttled, and an unresolved entry holds its slot.
import { afterEach, describe, expect, test } from 'bun:test';
import { createHighSaver, createStrategySync } from '../../src/bot/strategy-sync.ts';
import { readEvents } from '../../src/core/decide-events.ts';
import type { StrategySettings } from '../../src/core/strategy.ts';
import type { DbHandle } from '../../src/db/client.ts';
import {
  beginClosing, deleteUnfilledPosition, getPosition, markPositionClosed, markPositionOpen, newPositionValues, raiseHighPrice, reopenPosition,
} from '../../src/db/repos/positions.ts';
import { positions } from '../../src/db/schema.ts';
import { openTestDb } from '../helpers/test-db.ts';
import { at, harness } from '../core/decide-harness.ts';

const handles: DbHandle[] = [];
afterEach(() => handles.splice(0).forEach((h) => h.close()));

const MARKETS = ['KRW-A', 'KRW-B', 'KRW-C', 'KRW-D'];
/** Wide take-profit so a rise arms the trailing stop instead of selling; 5 % trailing stop. */
const SETTINGS: Partial<StrategySettings> = { profitRate: 0.5, trailingStop: 0.05, maxPositions: 3, cooldownMinutes: 0 };

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

describe('strategy sync: the trailing high', () => {
  test('a partial exit re-seats the position without lowering the high, so the trailing stop stays armed', async () => {
    const { db, h, sync, open } = await setup();
    const a = h.idx('KRW-A');
    const id = await open('KRW-A');
    await sync.restore(at(2));
    expect(sync.positionIdOf('KRW-A')).toBe(id);
    h.s.price(a, at(3), 110); // high 110: trailing level 104.5 ≥ entry 100, armed
    expect(h.s.position(a)?.highPrice).toBe(110);

    // An exit sells 4 of 10 and the rest stays open (closing → open with the sold part booked).
    h.s.requestExit(a, 108, at(4));
    await beginClosing(db, id, 'manual');
    await reopenPosition(db, id, { exitVolume: 4, exitPrice: 108, exitProceedsKrw: 432, exitFeeKrw: 0.2 });
    await sync.syncMarkets(['KRW-A'], at(5));

    expect(h.s.position(a)).toMatchObject({ state: 'open', volume: 6, highPrice: 110 });
    expect(h.s.price(a, at(6), 104.6)).toBe(0);
    expect(h.s.price(a, at(6) + 1, 104.4)).toBe(1);
    expect(readEvents(h.s.events, MARKETS)).toMatchObject([{ kind: 'exit', market: 'KRW-A', reason: 'trailing-stop', price: 104.4 }]);
  });

  test('a re-seat takes the higher of the stored high and the strategy\'s', async () => {
    const { db, h, sync, open } = await setup();
    const a = h.idx('KRW-A');
    const id = await open('KRW-A');
    await sync.restore(at(2));
    h.s.price(a, at(3), 106);
    await raiseHighPrice(db, id, 112); // saved earlier (before a restart the strategy did not see)
    await beginClosing(db, id, 'manual');
    await reopenPosition(db, id, { exitVolume: 5, exitPrice: 106, exitProceedsKrw: 530, exitFeeKrw: 0.3 });
    await sync.syncMarkets(['KRW-A'], at(5));
    expect(h.s.position(a)).toMatchObject({ volume: 5, highPrice: 112 });
    await sync.saveHigh(id, 111); // never lowers it
    expect((await getPosition(db, id))!.highPrice).toBe(112);
    await beginClosing(db, id, 'manual');
    await sync.syncMarkets(['KRW-A'], at(6));
    expect(sync.positionIdOf('KRW-A')).toBe(id);
    await markPositionClosed(db, id, 'closing', {
      exitVolume: 10, exitPrice: 106, exitProceedsKrw: 1_060, exitFeeKrw: 0.5, closedAt: at(7), exitReason: 'manual', pnlKrw: 59, pnlRate: 0.059, dustVolume: 0,
    });
    await sync.syncMarkets(['KRW-A'], at(7));
    expect(sync.positionIdOf('KRW-A')).toBeUndefined();
  });
});

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

describe('createHighSaver', () => {
  function saver(windowMs = 5_000) {
    const ids = new Map<string, number>([['KRW-A', 1]]);
    const writes: [number, number][] = [];
    const errors: number[] = [];
    let failNext = false;
    const s = createHighSaver({
      idOf: (m) => ids.get(m),
      save: async (id, price) => {
        if (failNext) {
          failNext = false;
          throw new Error('database is locked');
        }
        writes.push([id, price]);
      },
      windowMs,
      onError: (_err, id) => errors.push(id),
    });
    return { s, ids, writes, errors, failNextWrite: () => (failNext = true) };
  }
  const settled = () => new Promise((r) => setImmediate(r));

  test('writes a new high at once, then at most once per window, and never drops the latest high', async () => {
    const { s, writes } = saver();
    s.note('KRW-A', 101, 0);
    s.note('KRW-A', 102, 1_000);
    s.note('KRW-A', 104, 2_000);
    s.note('KRW-A', 103, 3_000); // not a new high
    s.flush(4_999);
    await settled();
    expect(writes).toEqual([[1, 101]]);
    s.flush(5_000);
    s.flush(5_001);
    await settled();
    expect(writes).toEqual([[1, 101], [1, 104]]);
    s.note('KRW-A', 104, 20_000); // the same high again: nothing to write
    s.flush(30_000);
    await settled();
    expect(writes).toHaveLength(2);
  });

  test('a market without a known position writes nothing; a new position in the market starts over', async () => {
    const { s, ids, writes } = saver();
    s.note('KRW-B', 50, 0);
    s.note('KRW-A', 110, 0);
    ids.set('KRW-A', 2); // the first one closed, a second one opened lower
    s.note('KRW-A', 90, 1_000); // lower than the old high, but the new position's first: written
    s.flush(5_000);
    await settled();
    expect(writes).toEqual([[1, 110], [2, 90]]);
  });

  test('a failed write is logged and tried again when the window ends; shutdown writes what waits', async () => {
    const { s, writes, errors, failNextWrite } = saver();
    failNextWrite();
    s.note('KRW-A', 101, 0);
    await settled();
    expect(errors).toEqual([1]);
    s.flush(4_000);
    await settled();
    expect(writes).toEqual([]);
    s.flush(5_000);
    await settled();
    expect(writes).toEqual([[1, 101]]);
    s.note('KRW-A', 102, 6_000);
    await s.flushAll(6_000);
    expect(writes).toEqual([[1, 101], [1, 102]]);
  });
});
