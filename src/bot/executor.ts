// The order lifecycle: write-ahead rows, one POST per intent, unknown outcomes resolved by identifier, positions from fills.
// See DESIGN.md "The order lifecycle" and issue 3 part 5.
import { and, gt, inArray, sql } from 'drizzle-orm';
import { floorVolume } from '../core/ticks.ts';
import { getOrder, newOrderValues, insertOrder, isFinalOrderState, listOrdersForPosition, listUnresolvedOrders, type StoredOrder } from '../db/repos/orders.ts';
import { beginClosing, heldVolume, listPositions, newPositionValues, reopenPosition } from '../db/repos/positions.ts';
import { fills, orders, positions } from '../db/schema.ts';
import { MinimumTotal } from '../exchange/errors.ts';
import { closeExternalPosition, type ExternalCloseOutcome } from './external-exit.ts';
import { newIdentifier } from './identifiers.ts';
import { followOrder, hasAllFills, isFinalWithFills, refreshOrder, submitOrder } from './order-sync.ts';
import { settleEntry, settleExit } from './position-settle.ts';
import {
  DEFAULT_EXECUTOR_SETTINGS,
  type CloseReason,
  type CloseResult,
  type ExecutorContext,
  type ExecutorDeps,
  type ExecutorEvent,
  type OpenRequest,
  type OpenResult,
} from './executor-types.ts';

export type PendingSummary = { checked: number; settled: number; unresolved: StoredOrder[] };

export type Executor = {
  /** Market-buys `amountKrw` of `market`; the position exists only from the fills. Never posts twice. */
  openPosition(req: OpenRequest): Promise<OpenResult>;
  /** Market-sells the volume actually held. A position not `open` (e.g. already closing) is left alone. */
  closePosition(positionId: number, reason: CloseReason, opts?: { priceKrw?: number }): Promise<CloseResult>;
  /**
   * Closes an open position the exchange holds only `balanceVolume` of (sold outside the bot); no order is posted.
   * Its PnL comes from the owner's sells when they can be found (see external-exit.ts). Null when it was not open.
   */
  closeExternal(positionId: number, balanceVolume: number): Promise<ExternalCloseOutcome | null>;
  /** One lookup for every unresolved order (not in flight here), settling those that turned final. */
  resolvePending(): Promise<PendingSummary>;
  inFlight(): number;
  /** Waits (bounded) for in-flight orders; true when none is left. */
  drain(timeoutMs: number): Promise<boolean>;
};

const isUniqueViolation = (err: unknown, what: string): boolean => {
  const text = `${String(err)} ${String((err as { cause?: unknown })?.cause ?? '')}`;
  return text.includes('UNIQUE constraint failed') && text.includes(what);
};

export function createExecutor(deps: ExecutorDeps): Executor {
  const { db, exchange, clock, random } = deps;
  const settings = { ...DEFAULT_EXECUTOR_SETTINGS, ...deps.settings };
  const emit: ExecutorContext['emit'] = (e) => {
    try {
      deps.onEvent({ ...e, at: clock.now() } as ExecutorEvent);
    } catch {
      // A failing listener must never break an order in flight.
    }
  };
  const ctx: ExecutorContext = { db, exchange, clock, sleep: deps.sleep, settings, emit };
  /** Orders (by identifier) and positions a flow of this process is working on; resolvePending leaves them alone. */
  const busy = new Map<string, number>();
  const orderKey = (identifier: string) => `o:${identifier}`;
  const positionKey = (id: number | null) => `p:${id}`;
  const isBusy = (o: StoredOrder) => busy.has(orderKey(o.identifier)) || busy.has(positionKey(o.positionId));
  const tasks = new Set<Promise<unknown>>();

  const track = <T>(work: Promise<T>): Promise<T> => {
    tasks.add(work);
    const forget = () => tasks.delete(work);
    work.then(forget, forget);
    return work;
  };

  /** Runs `fn` with `keys` (and any it holds later) marked busy; they are released when it ends. */
  async function withBusy<T>(keys: string[], fn: (hold: (key: string) => void) => Promise<T>): Promise<T> {
    const held: string[] = [];
    const hold = (key: string) => {
      held.push(key);
      busy.set(key, (busy.get(key) ?? 0) + 1);
    };
    keys.forEach(hold);
    try {
      return await fn(hold);
    } finally {
      for (const key of held) {
        const n = (busy.get(key) ?? 1) - 1;
        if (n > 0) busy.set(key, n);
        else busy.delete(key);
      }
    }
  }

  /** Writes the position (opening) and the entry order (submitting) atomically, before any POST. */
  async function writeEntry(req: OpenRequest, hold: (key: string) => void): Promise<StoredOrder | null> {
    for (let attempt = 0; ; attempt++) {
      const at = clock.now();
      const identifier = newIdentifier('entry', at, random);
      hold(orderKey(identifier)); // busy before the row exists, so no resolver races this flow
      try {
        const [, [order]] = await db.batch([
          db.insert(positions).values(newPositionValues({ ...req, at })),
          db
            .insert(orders)
            .values({ ...newOrderValues({ identifier, market: req.market, side: 'buy', kind: 'market', purpose: 'entry', amountKrw: req.amountKrw, at }), positionId: sql`last_insert_rowid()` })
            .returning(),
        ]);
        return order as StoredOrder;
      } catch (err) {
        if (isUniqueViolation(err, 'positions.market')) return null;
        if (!isUniqueViolation(err, 'orders.identifier') || attempt >= 3) throw err;
      }
    }
  }

  function openPosition(req: OpenRequest): Promise<OpenResult> {
    return withBusy([], async (hold) => {
      const order = await writeEntry(req, hold);
      if (!order) return { status: 'duplicate', market: req.market };
      hold(positionKey(order.positionId));
      const request = { market: req.market, side: 'buy' as const, kind: 'market' as const, identifier: order.identifier, amountKrw: req.amountKrw };
      const outcome = await submitOrder(ctx, order, request).catch(async (err: unknown) => {
        await settleEntry(ctx, { ...order, state: 'rejected' }); // fatal (auth): the order was refused
        throw err;
      });
      const current = outcome.kind === 'rejected' || outcome.kind === 'refused' ? outcome.order : await followOrder(ctx, outcome.order);
      return settleEntry(ctx, current);
    });
  }

  async function latestPrice(market: string): Promise<number | null> {
    try {
      const [ticker] = await exchange.fetchTickers([market]);
      return ticker?.price ?? null;
    } catch {
      return null; // Unknown price: post the sell; a minimum-total rejection still ends as dust.
    }
  }

  function closePosition(positionId: number, reason: CloseReason, opts: { priceKrw?: number } = {}): Promise<CloseResult> {
    return withBusy([positionKey(positionId)], (hold) => closeHeld(positionId, reason, opts.priceKrw, hold));
  }

  async function closeHeld(positionId: number, reason: CloseReason, priceKrw: number | undefined, hold: (key: string) => void): Promise<CloseResult> {
    const position = await beginClosing(db, positionId, reason);
    if (!position) return { status: 'not-open', positionId };
    const volume = floorVolume(heldVolume(position));
    const price = priceKrw ?? (await latestPrice(position.market));
    if (volume <= 0 || (price !== null && volume * price < settings.minOrderKrw)) {
      return settleExit(ctx, positionId, { priceHint: price, forceDust: true });
    }
    const purpose = reason === 'manual' || reason === 'sell-all' ? 'manual' : 'exit';
    let order: StoredOrder;
    try {
      const at = clock.now();
      const identifier = newIdentifier(purpose, at, random);
      hold(orderKey(identifier));
      order = await insertOrder(db, { identifier, market: position.market, side: 'sell', kind: 'market', purpose, positionId, volume, at });
    } catch (err) {
      const { exitVolume, exitPrice } = position;
      await reopenPosition(db, positionId, { exitVolume, exitPrice, exitProceedsKrw: position.exitProceedsKrw ?? 0, exitFeeKrw: position.exitFeeKrw ?? 0 });
      throw err;
    }
    const request = { market: position.market, side: 'sell' as const, kind: 'market' as const, identifier: order.identifier, volume };
    const outcome = await submitOrder(ctx, order, request).catch(async (err: unknown) => {
      await settleExit(ctx, positionId, { priceHint: price }); // fatal (auth): the order was refused
      throw err;
    });
    if (outcome.kind === 'rejected') return settleExit(ctx, positionId, { priceHint: price, forceDust: outcome.error instanceof MinimumTotal });
    if (outcome.kind === 'refused') {
      // Nothing was sent (a 418 block or a 429): the position is open again and the exit is tried after the wait.
      const r = await settleExit(ctx, positionId, { priceHint: price });
      const wait = outcome.error.retryAfterMs;
      return r.status === 'not-closed' ? { ...r, cause: 'rate-limited', ...(wait === undefined ? {} : { retryAfterMs: wait }) } : r;
    }
    await followOrder(ctx, outcome.order);
    return settleExit(ctx, positionId, { priceHint: price });
  }

  async function settleOrder(order: StoredOrder): Promise<void> {
    if (order.positionId === null) return;
    if (order.side === 'buy') await settleEntry(ctx, order);
    else await settleExit(ctx, order.positionId);
  }

  /** Final orders whose recorded fills fall short of their executed volume: a crash between the POST reply (final, no trades) and the fills. */
  async function listFinalWithoutFills(): Promise<StoredOrder[]> {
    const rows = await db
      .select({ id: orders.id })
      .from(orders)
      .where(and(inArray(orders.state, ['done', 'cancelled']), gt(orders.executedVolume, 0),
        sql`coalesce((select sum(${fills.volume}) from ${fills} where ${fills.orderId} = ${orders.id}), 0) < ${orders.executedVolume} * (1 - 1e-9)`));
    const list = await Promise.all(rows.map((r) => getOrder(db, r.id)));
    return list.filter((o): o is StoredOrder => o !== null);
  }

  /** Positions left half-way by a crash (closing with no exit in flight, opening whose entry is final). */
  async function settleStrandedPositions(): Promise<void> {
    for (const p of await listPositions(db, ['opening', 'closing'])) {
      if (busy.has(positionKey(p.id))) continue;
      const list = await listOrdersForPosition(db, p.id);
      if (list.some((o) => isBusy(o) || !isFinalOrderState(o.state))) continue;
      // Fills still missing (the lookup failed): settling now would book an executed order as unfilled.
      if ((await Promise.all(list.map((o) => hasAllFills(ctx, o)))).some((ok) => !ok)) continue;
      await withBusy([positionKey(p.id)], async () => {
        if (p.state === 'closing') await settleExit(ctx, p.id);
        const entry = list.find((o) => o.side === 'buy');
        if (p.state === 'opening' && entry) await settleEntry(ctx, entry);
      });
    }
  }

  async function resolvePending(): Promise<PendingSummary> {
    const unresolved: StoredOrder[] = [];
    let checked = 0;
    let settled = 0;
    for (const stored of [...(await listUnresolvedOrders(db)), ...(await listFinalWithoutFills())]) {
      if (isBusy(stored)) continue;
      checked++;
      const { order, isSettled } = await withBusy([orderKey(stored.identifier), positionKey(stored.positionId)], async () => {
        const { order: current } = await refreshOrder(ctx, stored);
        // Final but its fills still missing (the lookup failed): it stays unresolved, its position unsettled.
        const ready = await isFinalWithFills(ctx, current);
        if (ready) await settleOrder(current);
        return { order: current, isSettled: ready };
      });
      if (isSettled) settled++;
      else unresolved.push(order);
    }
    await settleStrandedPositions();
    return { checked, settled, unresolved };
  }

  async function drain(timeoutMs: number): Promise<boolean> {
    if (tasks.size === 0) return true;
    const done = Promise.allSettled([...tasks]).then(() => true);
    return Promise.race([done, deps.sleep(timeoutMs).then(() => tasks.size === 0)]);
  }

  return {
    openPosition: (req) => track(openPosition(req)),
    closePosition: (id, reason, opts) => track(closePosition(id, reason, opts)),
    closeExternal: (id, balanceVolume) => track(closeExternalPosition(ctx, id, balanceVolume)),
    resolvePending: () => track(resolvePending()),
    inFlight: () => tasks.size,
    drain,
  };
}
