// A crash right after the POST reply (order final, its trades not fetched yet): the next start's reconcile fetches the
// fills and settles the position from them — never books an executed order as unfilled or a held position as sold elsewhere.
import { afterEach, describe, expect, test } from 'bun:test';
import { createExecutor, type Executor } from '../../src/bot/executor.ts';
import type { ExecutorEvent } from '../../src/bot/executor-types.ts';
import { seededRandom } from '../../src/bot/identifiers.ts';
import { createReconciler } from '../../src/bot/reconcile.ts';
import { fills, orders, positions } from '../../src/db/schema.ts';
import { waitUntil } from '../helpers/engine-harness.ts';
import { QUICK_EXECUTOR_SETTINGS, startSimRig } from '../helpers/sim-rig.ts';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function setup() {
  const { t, handle, clock, exchange } = await startSimRig(cleanups, { sleep: async () => {} });
  const events: ExecutorEvent[] = [];
  let seed = 1;
  /** An executor process; `dies` = it stops for good at its first wait, i.e. right after recording the POST reply. */
  const processOf = (dies: boolean): Executor =>
    createExecutor({
      db: handle.db, exchange, clock, random: seededRandom(seed++), onEvent: (e) => events.push(e),
      sleep: dies ? () => new Promise<void>(() => {}) : async (ms) => void clock.advance(ms),
      settings: QUICK_EXECUTOR_SETTINGS,
    });
  const restart = async () => {
    const executor = processOf(false);
    const summary = await createReconciler({ db: handle.db, exchange, executor, onEvent: (e) => events.push(e), clock }).run();
    return { executor, summary };
  };
  const simState = () => t.sim.state();
  const rows = async () => ({
    orders: await handle.db.select().from(orders),
    fills: await handle.db.select().from(fills),
    positions: await handle.db.select().from(positions),
  });
  return { processOf, restart, simState, rows, events };
}

describe('crash after the order reply, before its fills', () => {
  test('entry: reconcile records the buy fills and opens the position from them', async () => {
    const s = await setup();
    void s.processOf(true).openPosition({ market: 'KRW-XRP', amountKrw: 20_000 });
    // The POST has been answered and recorded: final at the exchange, no trades in the reply.
    await waitUntil(async () => (await s.rows()).orders[0]?.exchangeOrderId != null, 'the recorded reply');
    const before = await s.rows();
    expect(before.orders[0]).toMatchObject({ state: 'cancelled' });
    expect(before.fills).toEqual([]);

    const { summary } = await s.restart();
    const state = s.simState();
    const after = await s.rows();
    expect(after.fills.map((f) => f.tradeId).sort()).toEqual(state.fills.map((f) => f.uuid).sort());
    expect(after.positions).toHaveLength(1);
    expect(after.positions[0]).toMatchObject({ state: 'open', market: 'KRW-XRP' });
    expect(after.positions[0]!.volume).toBeCloseTo(state.orders[0]!.executedVolume, 8);
    expect(summary).toMatchObject({ foreignHoldings: [], externalCloses: [], discrepancies: 0 });
  });

  test('exit: reconcile records the sell fills and closes the position with its reason and PnL', async () => {
    const s = await setup();
    const { executor } = await s.restart();
    const opened = await executor.openPosition({ market: 'KRW-XRP', amountKrw: 20_000 });
    if (opened.status !== 'opened') throw new Error(`entry not filled: ${opened.status}`);
    void s.processOf(true).closePosition(opened.positionId, 'take-profit');
    await waitUntil(async () => (await s.rows()).orders[1]?.exchangeOrderId != null, 'the recorded reply');
    expect((await s.rows()).positions[0]).toMatchObject({ state: 'closing' });

    const { summary } = await s.restart();
    const state = s.simState();
    const after = await s.rows();
    expect(after.fills.map((f) => f.tradeId).sort()).toEqual(state.fills.map((f) => f.uuid).sort());
    expect(after.positions[0]).toMatchObject({ state: 'closed', exitReason: 'take-profit' });
    expect(after.positions[0]!.pnlKrw).not.toBeNull();
    expect(after.positions[0]!.exitVolume).toBeCloseTo(after.positions[0]!.volume, 8);
    expect(summary).toMatchObject({ externalCloses: [], discrepancies: 0 });
  });
});
