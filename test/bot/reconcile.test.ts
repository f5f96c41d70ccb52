// Reconcile: unresolved orders first, then positions against balances; report, never silently fix (except 'external').
import { afterEach, describe, expect, test } from 'bun:test';
import { createReconciler } from '../../src/bot/reconcile.ts';
import { getPosition } from '../../src/db/repos/positions.ts';
import { orders } from '../../src/db/schema.ts';
import { Timeout, Unavailable } from '../../src/exchange/errors.ts';
import { createHarness, type Harness } from './harness.ts';

const open: Harness[] = [];
afterEach(() => open.splice(0).forEach((h) => h.handle.close()));

async function setup(fake: Parameters<typeof createHarness>[0] = {}) {
  const h = await createHarness(fake);
  open.push(h);
  const reconciler = createReconciler({ db: h.handle.db, exchange: h.exchange, executor: h.executor, onEvent: (e) => h.events.push(e), clock: h.clock });
  return { h, reconciler };
}

const discrepancies = (h: Harness) => h.eventsOf('discrepancy');

describe('reconcile', () => {
  test('a position whose coins are gone is closed as external and reported', async () => {
    const { h, reconciler } = await setup();
    const r = await h.executor.openPosition({ market: 'KRW-XRP', amountKrw: 100_000 });
    h.exchange.setBalance('XRP', 0); // sold in the Upbit app
    const summary = await reconciler.run();
    const positionId = r.status === 'opened' ? r.positionId : -1;
    expect(summary.externalCloses).toMatchObject([{ positionId, market: 'KRW-XRP', balanceVolume: 0 }]);
    expect(await getPosition(h.handle.db, positionId)).toMatchObject({ state: 'closed', exitReason: 'external', pnlKrw: null });
    expect(h.eventsOf('external-close')).toHaveLength(1);
    expect(discrepancies(h)[0]).toMatchObject({ kind: 'balance-below-position', market: 'KRW-XRP' });
    expect(h.exchange.placeCalls()).toHaveLength(1); // nothing was sold
  });

  test('an entry that fills while the balances are on their way is not taken for a sale outside the bot', async () => {
    const h = await createHarness({});
    open.push(h);
    let entered: Awaited<ReturnType<typeof h.executor.openPosition>> | null = null;
    const exchange = {
      ...h.exchange,
      // The exchange answers with balances from before the buy; the bot has marked the position open by the time they arrive.
      async fetchBalances() {
        const before = await h.exchange.fetchBalances();
        entered = await h.executor.openPosition({ market: 'KRW-XRP', amountKrw: 100_000 });
        return before;
      },
    };
    const reconciler = createReconciler({ db: h.handle.db, exchange, executor: h.executor, onEvent: (e) => h.events.push(e), clock: h.clock });
    const summary = await reconciler.run();
    const result = entered as Awaited<ReturnType<typeof h.executor.openPosition>> | null;
    if (result?.status !== 'opened') throw new Error(`the entry did not open: ${JSON.stringify(result)}`);
    expect(summary.externalCloses).toEqual([]);
    expect(await getPosition(h.handle.db, result.positionId)).toMatchObject({ state: 'open' });
    expect(discrepancies(h)).toEqual([]);
  });

  test('a matching balance changes nothing and reports nothing', async () => {
    const { h, reconciler } = await setup();
    await h.executor.openPosition({ market: 'KRW-XRP', amountKrw: 100_000 });
    const summary = await reconciler.run();
    expect(summary).toMatchObject({ isExchangeReachable: true, externalCloses: [], foreignHoldings: [], discrepancies: 0 });
    expect(discrepancies(h)).toEqual([]);
  });

  test('holdings the bot did not buy are reported once and never sold', async () => {
    const { h, reconciler } = await setup({ balances: { KRW: 1_000_000, ETH: 0.5 } });
    const first = await reconciler.run();
    const second = await reconciler.run();
    expect(first.foreignHoldings).toEqual([{ currency: 'ETH', volume: 0.5, valueKrw: null }]);
    expect(second.foreignHoldings).toHaveLength(1);
    expect(discrepancies(h).filter((e) => e.kind === 'foreign-holding')).toHaveLength(1);
    expect(h.exchange.placeCalls()).toEqual([]);
  });

  test('dust the bot left behind is not reported as a foreign holding', async () => {
    const { h, reconciler } = await setup();
    const r = await h.executor.openPosition({ market: 'KRW-XRP', amountKrw: 100_000 });
    h.exchange.scriptNextOrder({ fillRatio: 0.99 });
    await h.executor.closePosition(r.status === 'opened' ? r.positionId : -1, 'take-profit');
    expect(h.exchange.balanceOf('XRP')).toBeGreaterThan(0);
    const summary = await reconciler.run();
    expect(summary.foreignHoldings).toEqual([]);
  });

  test('with the exchange down, unresolved orders are reported and kept, and nothing is closed', async () => {
    const { h, reconciler } = await setup();
    const opened = await h.executor.openPosition({ market: 'KRW-XRP', amountKrw: 100_000 });
    h.exchange.failNext('placeOrder', { error: new Timeout('timed out'), afterExecute: true });
    for (let i = 0; i < 6; i++) h.exchange.failNext('findOrderByIdentifier', { error: new Unavailable('down') });
    const pending = await h.executor.openPosition({ market: 'KRW-BTC', amountKrw: 100_000 });
    expect(pending.status).toBe('pending');

    h.exchange.setDown(new Unavailable('maintenance'));
    const summary = await reconciler.run();
    expect(summary.isExchangeReachable).toBe(false);
    expect(summary.unresolvedOrders.map((o) => o.state)).toEqual(['unknown']);
    expect(discrepancies(h).map((e) => e.kind)).toEqual(['unresolved-order', 'exchange-unreachable']);
    const stored = await h.handle.db.select().from(orders);
    expect(stored.map((o) => o.state)).toEqual(['cancelled', 'unknown']);
    expect(await getPosition(h.handle.db, opened.status === 'opened' ? opened.positionId : -1)).toMatchObject({ state: 'open' });

    const again = await reconciler.run();
    expect(again.unresolvedOrders).toHaveLength(1);
    expect(discrepancies(h).filter((e) => e.kind === 'unresolved-order')).toHaveLength(1); // reported once

    h.exchange.setDown(null);
    const later = await reconciler.run();
    expect(later).toMatchObject({ isExchangeReachable: true, ordersSettled: 1, unresolvedOrders: [], externalCloses: [], foreignHoldings: [] });
    expect(h.exchange.placeCalls()).toHaveLength(2);
    expect(h.exchange.orders()).toHaveLength(2);
  });
});
