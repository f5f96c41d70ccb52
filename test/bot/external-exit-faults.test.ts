// A sale outside the bot whose PnL cannot be determined: the position is still closed as 'external', with pnl null
// and the reason in the log, the reconcile report and the notification; a fatal error stops reconcile instead.
import { afterEach, describe, expect, test } from 'bun:test';
import { eq } from 'drizzle-orm';
import { toBotEvents } from '../../src/bot/executor-events.ts';
import { realisedToday } from '../../src/bot/strategy-sync.ts';
import { insertOrder } from '../../src/db/repos/orders.ts';
import { getPosition } from '../../src/db/repos/positions.ts';
import { orders } from '../../src/db/schema.ts';
import { AuthFailed, Unavailable } from '../../src/exchange/errors.ts';
import type { Exchange } from '../../src/exchange/exchange.ts';
import { startExternalRig } from './external-exit-rig.ts';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

const failingClosedOrders = (err: Error) => (e: Exchange): Exchange => ({
  ...e,
  fetchClosedOrders: async () => {
    throw err;
  },
});

/** The bot buys, the owner sells all of it; returns the rig after reconcile ran, and the position id. */
async function soldAndReconciled(wrap?: (e: Exchange) => Exchange) {
  const s = await startExternalRig(cleanups, wrap);
  const opened = await s.openXrp(40_000);
  await s.ownerOrder('sell', 'owner-sell', { volume: await s.xrpBalance() });
  const summary = await s.reconciler.run();
  return { s, summary, positionId: opened.positionId };
}

describe('a sale outside the bot with no PnL to be found', () => {
  test('a failed lookup closes the position with pnl null and says why', async () => {
    const { s, summary, positionId } = await soldAndReconciled(failingClosedOrders(new Unavailable('closed orders are down')));
    expect(summary.externalCloses).toMatchObject([{ positionId, pnlKrw: null }]);
    expect(await getPosition(s.db, positionId)).toMatchObject({ state: 'closed', exitReason: 'external', pnlKrw: null, pnlRate: null });
    const [event] = s.eventsOf('external-close');
    expect(event).toMatchObject({ pnlKrw: null, soldVolume: 0, ownerOrderIds: [] });
    expect(event!.pnlUnknownReason).toBe("the owner's sells could not be looked up: Unavailable: closed orders are down");
    const report = s.eventsOf('discrepancy').find((e) => e.kind === 'balance-below-position');
    expect(report!.message).toContain('closed as sold outside the bot; its PnL could not be determined: the owner');
    const [note] = toBotEvents(event!, 'live', undefined);
    expect(note).toMatchObject({ type: 'reconcile-discrepancy', kind: 'external-sell' });
    expect(note!.type === 'reconcile-discrepancy' && note!.details).toContain('its PnL could not be determined: the owner');
    expect(await realisedToday(s.db, s.clock.now())).toBe(0);
  });

  test('an exchange that cannot list closed orders closes it as before, with pnl null', async () => {
    const withoutList = (e: Exchange): Exchange => {
      const { fetchClosedOrders: _, ...rest } = e;
      return rest;
    };
    const { s, positionId } = await soldAndReconciled(withoutList);
    expect(await getPosition(s.db, positionId)).toMatchObject({ state: 'closed', exitReason: 'external', pnlKrw: null });
    expect(s.eventsOf('external-close')[0]!.pnlUnknownReason).toBe('the exchange cannot list closed orders');
  });

  test('a fatal error stops reconcile and leaves the position open', async () => {
    const s = await startExternalRig(cleanups, failingClosedOrders(new AuthFailed('key rejected')));
    const opened = await s.openXrp(40_000);
    await s.ownerOrder('sell', 'owner-sell', { volume: await s.xrpBalance() });
    await expect(s.reconciler.run()).rejects.toBeInstanceOf(AuthFailed);
    expect(await getPosition(s.db, opened.positionId)).toMatchObject({ state: 'open' });
  });

  test('sells the order log knows (by identifier or by exchange id) are the bot\'s, never the owner\'s', async () => {
    const s = await startExternalRig(cleanups);
    const opened = await s.openXrp(40_000);
    const half = Math.floor((await s.xrpBalance()) * 5e7) / 1e8;
    // Two sells in the market the bot's order log holds without linking them to this position.
    const byIdentifier = await s.ownerOrder('sell', 'cb-exit-logged-1', { volume: half });
    const byId = await s.ownerOrder('sell', 'logged-2', { volume: await s.xrpBalance() });
    const at = s.clock.now();
    const logged = async (identifier: string, exchangeOrderId: string | null) => {
      const row = await insertOrder(s.db, { identifier, market: 'KRW-XRP', side: 'sell', kind: 'market', purpose: 'exit', at });
      await s.db.update(orders).set({ state: 'done', exchangeOrderId }).where(eq(orders.id, row.id));
    };
    await logged('cb-exit-logged-1', null);
    await logged('cb-exit-renamed', byId.id); // a row whose identifier differs: known by its exchange id

    const summary = await s.reconciler.run();

    expect(summary.externalCloses).toMatchObject([{ positionId: opened.positionId, pnlKrw: null }]);
    const [event] = s.eventsOf('external-close');
    expect(event!.pnlUnknownReason).toBe('no sell of KRW-XRP outside the bot was found since the position opened');
    // Both sold real coins at the exchange, and between them all the position held.
    expect((await s.simTotals((o) => o.uuid === byIdentifier.id)).volume).toBeGreaterThan(0);
    expect((await s.simTotals((o) => o.uuid === byId.id)).volume).toBeGreaterThan(0);
    expect(await s.xrpBalance()).toBe(0);
  });
});
