// The executor against the real Upbit adapter and the simulator over 127.0.0.1, including a lost order response.
import { afterEach, describe, expect, test } from 'bun:test';
import { createExecutor } from '../../src/bot/executor.ts';
import type { ExecutorEvent } from '../../src/bot/executor-types.ts';
import { seededRandom } from '../../src/bot/identifiers.ts';
import { createReconciler } from '../../src/bot/reconcile.ts';
import { fills, orders } from '../../src/db/schema.ts';
import type { SimState } from '../../src/sim/control-routes.ts';
import { QUICK_EXECUTOR_SETTINGS, startSimRig } from '../helpers/sim-rig.ts';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function setup() {
  const sleep = async (ms: number) => void rig.clock.advance(ms);
  const rig = await startSimRig(cleanups, { sleep, random: seededRandom(3) });
  const { t, handle, clock, exchange } = rig;
  const events: ExecutorEvent[] = [];
  const executor = createExecutor({
    db: handle.db, exchange, clock, sleep, random: seededRandom(9), onEvent: (e) => events.push(e),
    settings: QUICK_EXECUTOR_SETTINGS,
  });
  const simState = async () => (await (await fetch(`${t.sim.restUrl}/__sim/state`)).json()) as SimState;
  const fault = (body: Record<string, unknown>) => fetch(`${t.sim.restUrl}/__sim/faults`, { method: 'POST', body: JSON.stringify(body) });
  return { t, handle, exchange, executor, events, simState, fault };
}

describe('executor over the simulator', () => {
  test('an executed order whose response was dropped is resolved by identifier: one order, fills recorded, position from them', async () => {
    const s = await setup();
    await s.fault({ dropOrderResponse: 1 });
    const result = await s.executor.openPosition({ market: 'KRW-XRP', amountKrw: 10_000 });

    const state = await s.simState();
    expect(state.orders).toHaveLength(1);
    const [atSim] = state.orders;
    const [stored] = await s.handle.db.select().from(orders);
    expect(atSim!.identifier).toBe(stored!.identifier);
    expect(stored).toMatchObject({ state: 'cancelled', exchangeOrderId: atSim!.uuid });
    expect(result).toMatchObject({ status: 'opened' });
    if (result.status !== 'opened') return;
    expect(result.volume).toBeCloseTo(atSim!.executedVolume, 8);
    const dbFills = await s.handle.db.select().from(fills);
    expect(dbFills.map((f) => f.tradeId).sort()).toEqual(state.fills.map((f) => f.uuid).sort());
    expect(s.events.map((e) => e.type)).toEqual(['order-unknown', 'order-resolved', 'entry-filled']);
  });

  test('open, close and reconcile agree with the simulator balances', async () => {
    const s = await setup();
    const opened = await s.executor.openPosition({ market: 'KRW-XRP', amountKrw: 20_000 });
    if (opened.status !== 'opened') throw new Error(`entry not filled: ${opened.status}`);
    const closed = await s.executor.closePosition(opened.positionId, 'take-profit');
    expect(closed.status).toBe('closed');
    const state = await s.simState();
    expect(state.orders.map((o) => o.side).sort()).toEqual(['ask', 'bid']);
    expect(state.fills.length).toBe((await s.handle.db.select().from(fills)).length);
    const reconciler = createReconciler({ db: s.handle.db, exchange: s.exchange, executor: s.executor, onEvent: (e) => s.events.push(e), clock: s.t.sim.clock });
    const summary = await reconciler.run();
    expect(summary).toMatchObject({ isExchangeReachable: true, unresolvedOrders: [], externalCloses: [], foreignHoldings: [], discrepancies: 0 });
  });
});
