// Test rig for sales outside the bot: the simulator rig, an executor and reconciler, the "owner" trading on the same
// account through the real Upbit client, and the simulator's own totals of an order (its fills and paid fee).
import type { ExecutorEvent } from '../../src/bot/executor-types.ts';
import { createExecutor } from '../../src/bot/executor.ts';
import { seededRandom } from '../../src/bot/identifiers.ts';
import { createReconciler } from '../../src/bot/reconcile.ts';
import { orders } from '../../src/db/schema.ts';
import type { Exchange } from '../../src/exchange/exchange.ts';
import type { SimState } from '../../src/sim/control-routes.ts';
import { QUICK_EXECUTOR_SETTINGS, startSimRig } from '../helpers/sim-rig.ts';

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
export type Totals = { volume: number; funds: number; fee: number };
/** The documented rule: proceeds − fee − what the entry cost (with its fee), pro-rated to the volume sold. */
export const pnlOf = (sell: Totals, entry: Totals) => sell.funds - sell.fee - (entry.funds + entry.fee) * Math.min(1, sell.volume / entry.volume);

/** The simulator rig plus the executor and reconciler over `wrap(exchange)`; the owner trades on the unwrapped client. */
export async function startExternalRig(cleanups: Array<() => unknown>, wrap: (e: Exchange) => Exchange = (e) => e) {
  const sleep = async (ms: number) => void rig.clock.advance(ms);
  const rig = await startSimRig(cleanups, { sleep, random: seededRandom(3) });
  const { t, handle, clock } = rig;
  const db = handle.db;
  const exchange = wrap(rig.exchange);
  const events: ExecutorEvent[] = [];
  const onEvent = (e: ExecutorEvent) => events.push(e);
  const executor = createExecutor({ db, exchange, clock, sleep, random: seededRandom(9), onEvent, settings: QUICK_EXECUTOR_SETTINGS });
  const reconciler = createReconciler({ db, exchange, executor, onEvent, clock });
  const simState = async () => (await (await fetch(`${t.sim.restUrl}/__sim/state`)).json()) as SimState;
  /** The owner's order, placed through the same account as the bot but with an identifier the bot never wrote. */
  const ownerOrder = async (side: 'buy' | 'sell', identifier: string, size: { volume?: number; amountKrw?: number }) => {
    const r = await rig.exchange.placeOrder({ market: 'KRW-XRP', side, kind: 'market', identifier, ...size });
    if (r.status !== 'accepted') throw new Error(`owner order ${identifier} not accepted`);
    return r.order;
  };
  async function openXrp(amountKrw: number) {
    const r = await executor.openPosition({ market: 'KRW-XRP', amountKrw });
    if (r.status !== 'opened') throw new Error(`entry not filled: ${r.status}`);
    return r;
  }
  /** An order's totals as the simulator itself booked them. */
  async function simTotals(pick: (o: SimState['orders'][number]) => boolean) {
    const state = await simState();
    const order = state.orders.find(pick)!;
    const own = state.fills.filter((f) => f.orderUuid === order.uuid);
    return { uuid: order.uuid, volume: sum(own.map((f) => f.volume)), funds: sum(own.map((f) => f.funds)), fee: order.paidFee };
  }
  /** The bot's entry for a position, from the simulator. */
  async function simEntry(positionId: number) {
    const [row] = (await db.select().from(orders)).filter((o) => o.positionId === positionId && o.side === 'buy');
    return simTotals((o) => o.uuid === row!.exchangeOrderId);
  }
  const xrpBalance = async () => (await rig.exchange.fetchBalances()).find((b) => b.currency === 'XRP')?.free ?? 0;
  const eventsOf = <T extends ExecutorEvent['type']>(type: T) => events.filter((e): e is Extract<ExecutorEvent, { type: T }> => e.type === type);
  return { t, db, clock, exchange, executor, reconciler, events, eventsOf, simState, ownerOrder, openXrp, simTotals, simEntry, xrpBalance };
}
