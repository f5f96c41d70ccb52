// A position the owner sells in the "Upbit app" (straight through the simulator's REST API): reconcile closes it
// as 'external' with the PnL of the owner's real fills, and today's realised PnL counts it.
import { afterEach, describe, expect, test } from 'bun:test';
import { createDayBook } from '../../src/bot/day-book.ts';
import { toBotEvents } from '../../src/bot/executor-events.ts';
import { realisedBetween } from '../../src/bot/queries-trades.ts';
import { createStrategySync, realisedToday } from '../../src/bot/strategy-sync.ts';
import { createStrategy } from '../../src/core/decide.ts';
import { DEFAULT_STRATEGY_SETTINGS } from '../../src/core/strategy.ts';
import { floorVolume } from '../../src/core/ticks.ts';
import { DAY_MS, kstDayOf, kstDayStart } from '../../src/core/time.ts';
import { getPosition } from '../../src/db/repos/positions.ts';
import { fills, orders } from '../../src/db/schema.ts';
import { formatEvent } from '../../src/notify/format.ts';
import { pnlOf, startExternalRig } from './external-exit-rig.ts';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe('a position sold outside the bot', () => {
  test('is closed as external with the PnL of the owner\'s fills, and today\'s realised PnL counts it', async () => {
    const s = await startExternalRig(cleanups);
    const opened = await s.openXrp(40_000);
    s.t.model.setPrice('KRW-XRP', 3_800); // the owner sells lower: a loss
    s.clock.advance(60_000);
    await s.ownerOrder('sell', 'owner-sell-1', { volume: await s.xrpBalance() });

    const summary = await s.reconciler.run();

    const entry = await s.simEntry(opened.positionId);
    const sell = await s.simTotals((o) => o.identifier === 'owner-sell-1');
    expect(sell.volume).toBeCloseTo(entry.volume, 7); // all of it (the adapter floors the volume to 8 decimals)
    const expected = pnlOf(sell, entry);
    expect(expected).toBeLessThan(0);
    expect(summary.externalCloses).toHaveLength(1);
    expect(summary.externalCloses[0]!.pnlKrw).toBeCloseTo(expected, 6);
    const p = (await getPosition(s.db, opened.positionId))!;
    expect(p).toMatchObject({ state: 'closed', exitReason: 'external', closedAt: s.clock.now(), dustVolume: 0 });
    expect(p.pnlKrw).toBeCloseTo(expected, 6);
    expect(p.pnlRate).toBeCloseTo(expected / (entry.funds + entry.fee), 9);
    expect(p.exitVolume).toBeCloseTo(sell.volume, 8);
    expect(p.exitProceedsKrw).toBeCloseTo(sell.funds, 6);
    expect(p.exitFeeKrw).toBeCloseTo(sell.fee, 7); // the REST strings carry 8 decimals
    expect(p.exitPrice).toBeCloseTo(sell.funds / sell.volume, 6);

    // Today's realised PnL, wherever it is read: the strategy's day (loss limit), the dashboard, the day book.
    const now = s.clock.now();
    expect(await realisedToday(s.db, now)).toBeCloseTo(expected, 6);
    expect(await realisedBetween(s.db, kstDayStart(kstDayOf(now)), kstDayStart(kstDayOf(now)) + DAY_MS)).toBeCloseTo(expected, 6);
    expect((await createDayBook(s.db).get(kstDayOf(now))).realisedKrw).toBeCloseTo(expected, 6);
    const strategy = createStrategy({ ...DEFAULT_STRATEGY_SETTINGS }, { markets: ['KRW-XRP'], fills: 'external', autoEnter: false, initialKrw: 0 });
    const sync = createStrategySync({ db: s.db, strategy, cooldownMinutes: 0, hasSellInFlight: () => false });
    await sync.syncMarkets(['KRW-XRP'], now);
    expect(strategy.stats().realisedPnlTodayKrw).toBeCloseTo(expected, 6);

    const [event] = s.eventsOf('external-close');
    expect(event).toMatchObject({ ownerOrderIds: [sell.uuid], pnlUnknownReason: null, isFeeEstimated: false });
    expect(event!.soldVolume).toBeCloseTo(sell.volume, 8);
    const [note] = toBotEvents(event!, 'live', undefined);
    expect(note).toMatchObject({ type: 'sell', reason: 'external', market: 'KRW-XRP' });
    const text = formatEvent(note!, { locale: 'en' });
    expect(text).toContain('SELL KRW-XRP (sold outside the bot)');
    expect(text).toContain(`-${Math.round(-expected).toLocaleString('en-US')} KRW`);
    // The owner's fills are not the bot's: no fill row, no order row, and the bot posted nothing.
    expect((await s.db.select().from(fills)).map((f) => f.side)).not.toContain('sell');
    expect((await s.db.select().from(orders)).map((o) => o.side)).toEqual(['buy']);
  });

  test('a partial sale prices only the sold part; the coins left are reported as foreign', async () => {
    const s = await startExternalRig(cleanups);
    const opened = await s.openXrp(40_000);
    s.t.model.setPrice('KRW-XRP', 4_300); // a gain
    const soldPart = floorVolume(opened.volume * 0.4);
    await s.ownerOrder('sell', 'owner-part', { volume: soldPart });

    const summary = await s.reconciler.run();

    const entry = await s.simEntry(opened.positionId);
    const sell = await s.simTotals((o) => o.identifier === 'owner-part');
    expect(sell.volume).toBeCloseTo(soldPart, 8);
    const expected = pnlOf(sell, entry);
    expect(expected).not.toBeCloseTo(sell.funds - sell.fee - (entry.funds + entry.fee), 0); // the entry is pro-rated
    expect(expected).toBeGreaterThan(0);
    const p = (await getPosition(s.db, opened.positionId))!;
    expect(p).toMatchObject({ state: 'closed', exitReason: 'external' });
    expect(p.pnlKrw).toBeCloseTo(expected, 6);
    expect(p.exitVolume).toBeCloseTo(soldPart, 8);
    expect(summary.foreignHoldings).toHaveLength(1);
    expect(summary.foreignHoldings[0]!.currency).toBe('XRP');
    expect(summary.foreignHoldings[0]!.volume).toBeCloseTo(opened.volume - soldPart, 8);
    expect(await realisedToday(s.db, s.clock.now())).toBeCloseTo(expected, 6);
  });

  test('an owner\'s sell older than the position is ignored', async () => {
    const s = await startExternalRig(cleanups);
    const own = await s.ownerOrder('buy', 'owner-buy', { amountKrw: 20_000 });
    const bought = (await s.exchange.fetchOrder({ id: own.id })).executedVolume;
    s.clock.advance(5_000);
    s.t.model.setPrice('KRW-XRP', 4_500);
    const old = await s.ownerOrder('sell', 'owner-old', { volume: bought });
    s.clock.advance(5_000);
    s.t.model.setPrice('KRW-XRP', 4_000);
    const opened = await s.openXrp(40_000);
    s.clock.advance(5_000);
    s.t.model.setPrice('KRW-XRP', 3_900);
    await s.ownerOrder('sell', 'owner-new', { volume: await s.xrpBalance() });

    await s.reconciler.run();

    const entry = await s.simEntry(opened.positionId);
    const sell = await s.simTotals((o) => o.identifier === 'owner-new');
    const [event] = s.eventsOf('external-close');
    expect(event!.ownerOrderIds).toEqual([sell.uuid]);
    expect(event!.ownerOrderIds).not.toContain(old.id);
    expect((await getPosition(s.db, opened.positionId))!.pnlKrw).toBeCloseTo(pnlOf(sell, entry), 6);
  });

  test('the bot\'s own orders in the market are never taken for the owner\'s', async () => {
    const s = await startExternalRig(cleanups);
    const first = await s.openXrp(20_000);
    expect((await s.executor.closePosition(first.positionId, 'take-profit')).status).toBe('closed');
    const opened = await s.openXrp(40_000); // the bot's exit above may share a second with this entry
    const sell = await s.ownerOrder('sell', 'owner-sell', { volume: await s.xrpBalance() });

    await s.reconciler.run();

    const botSells = (await s.db.select().from(orders)).filter((o) => o.side === 'sell');
    expect(botSells).toHaveLength(1);
    const [event] = s.eventsOf('external-close');
    expect(event!.ownerOrderIds).toEqual([sell.id]);
    const entry = await s.simEntry(opened.positionId);
    const owner = await s.simTotals((o) => o.uuid === sell.id);
    expect((await getPosition(s.db, opened.positionId))!.pnlKrw).toBeCloseTo(pnlOf(owner, entry), 6);
  });
});
