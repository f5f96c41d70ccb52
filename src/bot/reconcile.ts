// Reconcile (at start and every few minutes): resolve unresolved orders, then compare open positions with the balances.
// Differences are reported, never silently fixed — except a position sold outside the bot, which is closed as 'external'.
import type { Clock } from '../clock.ts';
import type { Balance } from '../core/types.ts';
import { floorVolume } from '../core/ticks.ts';
import type { Db } from '../db/client.ts';
import { isFinalOrderState, type StoredOrder } from '../db/repos/orders.ts';
import { heldVolume, listPositions, sumDustVolume, LIVE_POSITION_STATES, type PositionRecord } from '../db/repos/positions.ts';
import type { Exchange } from '../exchange/exchange.ts';
import { ExchangeError, isFatal } from '../exchange/errors.ts';
import type { Executor } from './executor.ts';
import type { ExecutorEvent, ExecutorEventInput } from './executor-types.ts';
import { errorText } from '../error-text.ts';

export type ReconcileSettings = {
  /** A shortfall worth less than this (KRW) is rounding, not a sale outside the bot. */
  minOrderKrw: number;
  /** Relative volume difference below which balances and positions agree. */
  tolerance: number;
};

export type ForeignHolding = { currency: string; volume: number; valueKrw: number | null };
/** A position closed as sold outside the bot; pnlKrw from the owner's sells, null when they could not be found. */
export type ExternalClose = { positionId: number; market: string; heldVolume: number; balanceVolume: number; pnlKrw: number | null };

export type ReconcileSummary = {
  /** False when the exchange could not be asked for balances; nothing was compared then. */
  isExchangeReachable: boolean;
  ordersChecked: number;
  ordersSettled: number;
  unresolvedOrders: StoredOrder[];
  externalCloses: ExternalClose[];
  foreignHoldings: ForeignHolding[];
  discrepancies: number;
};

export type ReconcilerDeps = {
  db: Db;
  exchange: Exchange;
  executor: Executor;
  onEvent: (e: ExecutorEvent) => void;
  clock: Clock;
  settings?: Partial<ReconcileSettings>;
};

export type Reconciler = { run(): Promise<ReconcileSummary> };

const currencyOf = (market: string) => market.split('-')[1] ?? market;

export function createReconciler(deps: ReconcilerDeps): Reconciler {
  const { db, exchange, executor, clock } = deps;
  const settings: ReconcileSettings = { minOrderKrw: 5_000, tolerance: 1e-6, ...deps.settings };
  /** Foreign holdings already reported (currency → volume), so a periodic run does not repeat itself. */
  const reported = new Map<string, number>();
  /** Unresolved orders already reported (order id → state). */
  const reportedOrders = new Map<number, string>();
  let discrepancies = 0;

  const emit = (e: ExecutorEventInput) => {
    if (e.type === 'discrepancy') discrepancies++;
    try {
      deps.onEvent({ ...e, at: clock.now() } as ExecutorEvent);
    } catch {
      // Reporting must never stop reconciliation.
    }
  };

  async function pending(): Promise<{ checked: number; settled: number; unresolved: StoredOrder[] }> {
    try {
      return await executor.resolvePending();
    } catch (err) {
      if (!(err instanceof ExchangeError) || isFatal(err)) throw err;
      emit({ type: 'discrepancy', kind: 'exchange-unreachable', market: null, message: `Could not resolve pending orders: ${errorText(err)}`, data: {} });
      return { checked: 0, settled: 0, unresolved: [] };
    }
  }

  async function comparePositions(open: PositionRecord[], balances: Map<string, Balance>): Promise<ExternalClose[]> {
    const closes: ExternalClose[] = [];
    for (const p of open) {
      const b = balances.get(currencyOf(p.market));
      const balance = b ? b.free + b.locked : 0;
      const held = heldVolume(p);
      const price = p.entryPrice ?? b?.avgBuyPrice ?? 0;
      const data = { positionId: p.id, heldVolume: held, balanceVolume: balance };
      if (held - balance > held * settings.tolerance && (held - balance) * price >= settings.minOrderKrw) {
        const closed = await executor.closeExternal(p.id, balance);
        if (closed) {
          closes.push({ positionId: p.id, market: p.market, heldVolume: held, balanceVolume: balance, pnlKrw: closed.pnlKrw });
          const pnl = closed.pnlKrw !== null ? `PnL ${Math.round(closed.pnlKrw)} KRW from the owner's sells` : `its PnL could not be determined: ${closed.pnlUnknownReason}`;
          emit({ type: 'discrepancy', kind: 'balance-below-position', market: p.market, message: `${p.market}: the exchange holds ${balance} of the ${held} the position held; closed as sold outside the bot; ${pnl}`, data });
        }
      } else if (held - balance > held * settings.tolerance) {
        emit({ type: 'discrepancy', kind: 'balance-below-position', market: p.market, message: `${p.market}: the exchange holds ${balance}, slightly less than the ${held} the position holds`, data });
      }
    }
    return closes;
  }

  /** Lists the positions after the balances were read: an entry started meanwhile is 'opening' and never taken for foreign coins. */
  async function foreignHoldings(balances: Map<string, Balance>): Promise<ForeignHolding[]> {
    const live = await listPositions(db, LIVE_POSITION_STATES);
    const out: ForeignHolding[] = [];
    for (const [currency, b] of balances) {
      if (currency === 'KRW') continue;
      const market = `KRW-${currency}`;
      const ours = live.filter((p) => p.market === market).reduce((sum, p) => sum + (p.state === 'opening' ? Infinity : heldVolume(p)), 0);
      const extra = floorVolume(b.free + b.locked - ours - (await sumDustVolume(db, market)));
      if (!(extra > 0)) continue;
      const holding = { currency, volume: extra, valueKrw: b.avgBuyPrice > 0 ? extra * b.avgBuyPrice : null };
      out.push(holding);
      if (reported.get(currency) === extra) continue;
      reported.set(currency, extra);
      const kind = ours > 0 ? 'balance-above-position' : 'foreign-holding';
      emit({ type: 'discrepancy', kind, market, message: `${market}: ${extra} held that the bot did not buy; it is never sold by the bot`, data: holding });
    }
    return out;
  }

  async function fetchBalances(): Promise<Map<string, Balance> | null> {
    try {
      return new Map((await exchange.fetchBalances()).map((b) => [b.currency, b]));
    } catch (err) {
      if (!(err instanceof ExchangeError) || isFatal(err)) throw err;
      emit({ type: 'discrepancy', kind: 'exchange-unreachable', market: null, message: `Could not fetch balances: ${errorText(err)}`, data: {} });
      return null;
    }
  }

  async function run(): Promise<ReconcileSummary> {
    discrepancies = 0;
    const orders = await pending();
    for (const o of orders.unresolved) {
      if (reportedOrders.get(o.id) === o.state) continue;
      reportedOrders.set(o.id, o.state);
      emit({ type: 'discrepancy', kind: 'unresolved-order', market: o.market, message: unresolvedText(o), data: { orderId: o.id, identifier: o.identifier, state: o.state, attempts: o.resolveAttempts, error: o.error } });
    }
    // Open positions first, balances second: a position open in this snapshot was filled before the balances were
    // read, so its coins are in them; one that opens meanwhile is not compared this round (never closed as sold).
    const open = await listPositions(db, ['open']);
    const balances = await fetchBalances();
    const externalCloses = balances ? await comparePositions(open, balances) : [];
    const foreign = balances ? await foreignHoldings(balances) : [];
    return {
      isExchangeReachable: balances !== null,
      ordersChecked: orders.checked,
      ordersSettled: orders.settled,
      unresolvedOrders: orders.unresolved,
      externalCloses,
      foreignHoldings: foreign,
      discrepancies,
    };
  }

  return { run };
}

/** What the owner reads about an order that is not settled: a final order still waits for its fills to be recorded. */
function unresolvedText(o: StoredOrder): string {
  const what = isFinalOrderState(o.state) ? `is ${o.state} but its fills are not recorded yet` : `is still ${o.state}`;
  return `Order ${o.identifier} (${o.purpose}) ${what}; it is kept and looked up again, never re-posted`;
}
