// An order the POST reply already calls final (executed volume, no trades) whose lookups then fail: it stays pending,
// never settled as "nothing filled"; once the exchange answers, the position is settled from the real fills.
import { afterEach, describe, expect, test } from 'bun:test';
import { createExecutor, type Executor } from '../../src/bot/executor.ts';
import { createReconciler } from '../../src/bot/reconcile.ts';
import { seededRandom } from '../../src/bot/identifiers.ts';
import { FEE_RATE } from '../../src/core/ticks.ts';
import { getPosition } from '../../src/db/repos/positions.ts';
import { fills, orders } from '../../src/db/schema.ts';
import { Unavailable } from '../../src/exchange/errors.ts';
import type { Exchange } from '../../src/exchange/exchange.ts';
import type { FakeExchange } from '../fakes/fake-exchange.ts';
import { createHarness, TEST_SETTINGS, type Harness } from './harness.ts';

const open: Harness[] = [];
afterEach(() => open.splice(0).forEach((h) => h.handle.close()));

const XRP = 'KRW-XRP';
const POLLS = TEST_SETTINGS.maxPollAttempts!;

/** Answers a POST like the simulator (and, per upbit-api.md §10, Upbit) may: the order already final, without its trades. */
const finalReplyWithoutTrades = (fake: FakeExchange): Exchange => ({
  ...fake,
  async placeOrder(req) {
    const result = await fake.placeOrder(req);
    if (result.status !== 'accepted') return result;
    const atExchange = fake.orders().find((o) => o.identifier === req.identifier)!;
    return { status: 'accepted', order: { ...atExchange, fills: [], tradesCount: 0 } };
  },
});

/** A harness whose executor sees final-without-trades POST replies (events still land in h.events). */
async function setup(): Promise<{ h: Harness; executor: Executor }> {
  const h = await createHarness();
  open.push(h);
  const executor = createExecutor({
    db: h.handle.db,
    exchange: finalReplyWithoutTrades(h.exchange),
    clock: h.clock,
    random: seededRandom(7),
    onEvent: (e) => h.events.push(e),
    sleep: async (ms) => h.clock.advance(ms),
    settings: TEST_SETTINGS,
  });
  return { h, executor };
}

const failFetches = (h: Harness, n: number) => {
  for (let i = 0; i < n; i++) h.exchange.failNext('fetchOrder', { error: new Unavailable('418 blocked') });
};

describe('a final order whose trades are not recorded yet', () => {
  test('entry: stays pending while the lookups fail, then opens from its fills', async () => {
    const { h, executor } = await setup();
    failFetches(h, POLLS);
    const result = await executor.openPosition({ market: XRP, amountKrw: 100_000 });
    const [atExchange] = h.exchange.orders();
    expect(atExchange!.executedVolume).toBeGreaterThan(0);
    expect(result).toMatchObject({ status: 'pending' });
    const positionId = (result as { positionId: number }).positionId;
    expect((await getPosition(h.handle.db, positionId))!.state).toBe('opening');
    expect(h.eventsOf('entry-unfilled')).toEqual([]);
    expect(h.eventsOf('discrepancy').map((e) => e.kind)).toEqual(['fills-incomplete']);

    // Still unreachable at the next resolve: nothing is settled on the missing fills.
    failFetches(h, 1);
    const stillDown = await executor.resolvePending();
    expect(stillDown.settled).toBe(0);
    expect(stillDown.unresolved.map((o) => o.identifier)).toEqual([atExchange!.identifier!]);
    expect((await getPosition(h.handle.db, positionId))!.state).toBe('opening');
    expect(h.eventsOf('entry-unfilled')).toEqual([]);

    const recovered = await executor.resolvePending();
    expect(recovered).toMatchObject({ settled: 1, unresolved: [] });
    const p = (await getPosition(h.handle.db, positionId))!;
    expect(p.state).toBe('open');
    expect(p.volume).toBeCloseTo(atExchange!.executedVolume, 10);
    expect(p.entryPrice).toBeCloseTo(3_000, 6);
    expect(p.entryCostKrw).toBeCloseTo(atExchange!.executedVolume * 3_000, 6);
    expect(h.eventsOf('entry-filled')).toHaveLength(1);
    expect(h.exchange.placeCalls()).toHaveLength(1);
  });

  test('exit: stays pending (closing) while the lookups fail, then closes with its PnL from the fills', async () => {
    const { h, executor } = await setup();
    const opened = await executor.openPosition({ market: XRP, amountKrw: 100_000 });
    if (opened.status !== 'opened') throw new Error(`setup failed: ${opened.status}`);
    h.exchange.setPrice(XRP, 3_100);
    failFetches(h, POLLS);
    const result = await executor.closePosition(opened.positionId, 'take-profit');
    expect(result).toMatchObject({ status: 'pending', positionId: opened.positionId });
    expect((await getPosition(h.handle.db, opened.positionId))).toMatchObject({ state: 'closing', exitVolume: 0 });
    expect(h.eventsOf('exit-unfilled')).toEqual([]);

    failFetches(h, 1);
    await executor.resolvePending();
    expect((await getPosition(h.handle.db, opened.positionId))!.state).toBe('closing');
    expect(h.eventsOf('exit-unfilled')).toEqual([]);

    const recovered = await executor.resolvePending();
    expect(recovered).toMatchObject({ settled: 1, unresolved: [] });
    const p = (await getPosition(h.handle.db, opened.positionId))!;
    const proceeds = opened.volume * 3_100;
    const exitFee = proceeds * FEE_RATE;
    expect(p).toMatchObject({ state: 'closed', exitReason: 'take-profit', exitPrice: 3_100, dustVolume: 0 });
    expect(p.exitVolume).toBeCloseTo(opened.volume, 10);
    expect(p.pnlKrw).toBeCloseTo(proceeds - exitFee - (p.entryCostKrw + p.entryFeeKrw), 6);
    expect(h.eventsOf('exit-filled')).toHaveLength(1);
    const sellFills = await h.handle.db.select().from(fills);
    expect(sellFills.filter((f) => f.side === 'sell')).toHaveLength(1);
    expect((await h.handle.db.select().from(orders)).filter((o) => o.side === 'sell')).toHaveLength(1);
    expect(h.exchange.placeCalls()).toHaveLength(2);
  });

  test('reconcile tells the owner the order is final and waits for its fills (not "still done")', async () => {
    const { h, executor } = await setup();
    failFetches(h, POLLS);
    await executor.openPosition({ market: XRP, amountKrw: 100_000 });
    failFetches(h, 1);
    const reconciler = createReconciler({ db: h.handle.db, exchange: h.exchange, executor, onEvent: (e) => h.events.push(e), clock: h.clock });
    const summary = await reconciler.run();
    expect(summary.unresolvedOrders).toHaveLength(1);
    const [report] = h.eventsOf('discrepancy').filter((e) => e.kind === 'unresolved-order');
    const state = summary.unresolvedOrders[0]!.state;
    expect(report!.message).toContain(`is ${state} but its fills are not recorded yet`);
    expect(report!.message).not.toContain('still');
  });
});
