// One order and the exchange: post it exactly once, learn an unknown outcome by identifier, poll it to a final state.
// DESIGN.md "The order lifecycle": never re-post; a timeout means "ask by identifier", not "try again".
import { DuplicateIdentifier, OrderNotFound, RateLimited, isFatal, isRejected, type RejectedError } from '../exchange/errors.ts';
import type { PlaceOrderRequest, PlaceOrderResult } from '../exchange/exchange.ts';
import type { Order } from '../core/types.ts';
import { insertFills, listFillsForOrder, totalFills } from '../db/repos/fills.ts';
import { bumpResolveAttempts, isFinalOrderState, updateFinalOrderTotals, updateOrder, type StoredOrder } from '../db/repos/orders.ts';
import type { ExecutorContext } from './executor-types.ts';
import { errorText } from '../error-text.ts';

export type SubmitOutcome =
  | { kind: 'accepted'; order: StoredOrder }
  | { kind: 'rejected'; order: StoredOrder; error: RejectedError }
  /** Not placed because of a rate limit (a 418 block, 429): stored as rejected; try again after `error.retryAfterMs`. */
  | { kind: 'refused'; order: StoredOrder; error: RateLimited }
  | { kind: 'unknown'; order: StoredOrder };

export type RefreshOutcome = 'found' | 'updated' | 'absent' | 'not-yet' | 'unreachable' | 'final';

const info = (o: StoredOrder) => ({ orderId: o.id, identifier: o.identifier, market: o.market, side: o.side, purpose: o.purpose });

/** The stored row with whatever the update returned (a final row is never moved, so keep the old one then). */
const orKeep = (updated: StoredOrder | null, old: StoredOrder) => updated ?? old;

/** Records an exchange snapshot of the order: its fills (idempotent by trade id), state, executed volume, fee, raw JSON. */
export async function recordSnapshot(ctx: ExecutorContext, order: StoredOrder, snap: Order): Promise<StoredOrder> {
  const own = snap.fills.map((f) => ({ ...f, side: order.side }));
  await insertFills(ctx.db, order.id, order.market, own);
  const totals = totalFills(await listFillsForOrder(ctx.db, order.id));
  const patch = {
    exchangeOrderId: snap.id,
    state: snap.state,
    executedVolume: snap.executedVolume,
    avgPrice: totals.avgPrice,
    paidFee: snap.paidFee,
    rawJson: JSON.stringify(snap.raw ?? null),
    error: null,
  };
  const at = ctx.clock.now();
  if (order.state === 'done' || order.state === 'cancelled') {
    const { executedVolume, avgPrice, paidFee, rawJson } = patch;
    return orKeep(await updateFinalOrderTotals(ctx.db, order.id, { executedVolume, avgPrice, paidFee, rawJson }, at), order);
  }
  return orKeep(await updateOrder(ctx.db, order.id, patch, at), order);
}

async function markRejected(ctx: ExecutorContext, order: StoredOrder, err: unknown): Promise<StoredOrder> {
  const stored = orKeep(await updateOrder(ctx.db, order.id, { state: 'rejected', error: errorText(err) }, ctx.clock.now()), order);
  const e = err as Error;
  ctx.emit({ type: 'order-rejected', ...info(order), errorName: e.name, message: e.message });
  return stored;
}

/** The cause recorded for a write-ahead order whose POST was cut off (the process died) before its answer was stored. */
class PostCutOff extends Error {
  override readonly name = 'PostCutOff';
  constructor() {
    super('The POST ended before its answer was recorded (the process stopped); its outcome is unknown');
  }
}

async function markUnknown(ctx: ExecutorContext, order: StoredOrder, cause: unknown): Promise<StoredOrder> {
  const stored = orKeep(await updateOrder(ctx.db, order.id, { state: 'unknown', error: errorText(cause) }, ctx.clock.now()), order);
  ctx.emit({ type: 'order-unknown', ...info(order), message: errorText(cause) });
  return stored;
}

/**
 * Posts the order once. Rejections are final, and so is a rate-limit refusal (not placed); anything else that fails (timeout, 5xx, a dropped connection,
 * an unexpected error, a duplicate identifier) may have reached the exchange and becomes `unknown`.
 * A fatal error (auth) marks the order rejected and is rethrown for the caller to halt.
 */
export async function submitOrder(ctx: ExecutorContext, order: StoredOrder, request: PlaceOrderRequest): Promise<SubmitOutcome> {
  let result: PlaceOrderResult;
  try {
    result = await ctx.exchange.placeOrder(request);
  } catch (err) {
    if (isFatal(err)) {
      await markRejected(ctx, order, err);
      throw err;
    }
    if (isRejected(err) && !(err instanceof DuplicateIdentifier)) {
      return { kind: 'rejected', order: await markRejected(ctx, order, err), error: err };
    }
    // Refused by our limiter during a 418 block (never sent), or answered 429/418: Upbit placed nothing, so there is
    // nothing to look up by identifier; the caller tries again once the block is over.
    if (err instanceof RateLimited) return { kind: 'refused', order: await markRejected(ctx, order, err), error: err };
    return { kind: 'unknown', order: await markUnknown(ctx, order, err) };
  }
  if (result.status === 'unknown') return { kind: 'unknown', order: await markUnknown(ctx, order, result.cause) };
  return { kind: 'accepted', order: await recordSnapshot(ctx, order, result.order) };
}

async function lookUpByIdentifier(ctx: ExecutorContext, order: StoredOrder): Promise<{ order: StoredOrder; outcome: RefreshOutcome }> {
  let found: Order | null;
  try {
    found = await ctx.exchange.findOrderByIdentifier(order.identifier);
  } catch (err) {
    if (isFatal(err)) throw err;
    await bumpResolveAttempts(ctx.db, order.id, errorText(err), ctx.clock.now());
    return { order: { ...order, resolveAttempts: order.resolveAttempts + 1, error: errorText(err) }, outcome: 'unreachable' };
  }
  if (found) {
    const stored = await recordSnapshot(ctx, order, found);
    ctx.emit({ type: 'order-resolved', ...info(order), outcome: 'found' });
    return { order: stored, outcome: 'found' };
  }
  // Absence counts only absentAfterMs after the POST ended, not after the row was written (the POST may have waited
  // on the rate limiter and run up to its timeout): markUnknown stamps updatedAt when it ends (a failed lookup since
  // only moves it later). A `submitting` row not in flight was cut off by a crash: its POST ended by now at the latest.
  if (order.state === 'submitting') return { order: await markUnknown(ctx, order, new PostCutOff()), outcome: 'not-yet' };
  if (ctx.clock.now() - order.updatedAt < ctx.settings.absentAfterMs) return { order, outcome: 'not-yet' };
  const stored = orKeep(await updateOrder(ctx.db, order.id, { state: 'absent' }, ctx.clock.now()), order);
  ctx.emit({ type: 'order-resolved', ...info(order), outcome: 'absent' });
  return { order: stored, outcome: 'absent' };
}

/** One step towards knowing how the order ended: a lookup by identifier (no exchange id yet) or by id. */
export async function refreshOrder(ctx: ExecutorContext, order: StoredOrder): Promise<{ order: StoredOrder; outcome: RefreshOutcome }> {
  if (await isFinalWithFills(ctx, order)) return { order, outcome: 'final' };
  if (order.exchangeOrderId === null) return lookUpByIdentifier(ctx, order);
  try {
    const snap = await ctx.exchange.fetchOrder({ id: order.exchangeOrderId });
    return { order: await recordSnapshot(ctx, order, snap), outcome: 'updated' };
  } catch (err) {
    if (isFatal(err)) throw err;
    if (err instanceof OrderNotFound) {
      ctx.emit({ type: 'discrepancy', kind: 'order-missing', market: order.market, message: `Order ${order.identifier} is unknown to the exchange by its id`, data: { ...info(order), exchangeOrderId: order.exchangeOrderId } });
    }
    await bumpResolveAttempts(ctx.db, order.id, errorText(err), ctx.clock.now());
    return { order: { ...order, resolveAttempts: order.resolveAttempts + 1 }, outcome: 'unreachable' };
  }
}

/** Whether the recorded fills account for the executed volume the exchange reported. */
export async function hasAllFills(ctx: ExecutorContext, order: StoredOrder): Promise<boolean> {
  if (order.executedVolume <= 0) return true;
  const { volume } = totalFills(await listFillsForOrder(ctx.db, order.id));
  return volume >= order.executedVolume * (1 - 1e-9);
}

/** Final at the exchange with every fill recorded: only then may a position be settled from the order. */
export async function isFinalWithFills(ctx: ExecutorContext, order: StoredOrder): Promise<boolean> {
  return isFinalOrderState(order.state) && (await hasAllFills(ctx, order));
}

/**
 * Drives an order towards a final state with bounded polling. Returns the last stored row, final or not;
 * an order left unresolved is reported and stays for resolvePending / reconcile. Lookups by identifier stop after
 * maxResolveAttempts failures, and "not found" ones go on until absence can be proven (absentAfterMs after the POST).
 */
export async function followOrder(ctx: ExecutorContext, start: StoredOrder): Promise<StoredOrder> {
  const { maxPollAttempts, maxResolveAttempts, pollIntervalMs, absentAfterMs } = ctx.settings;
  const maxLookups = maxResolveAttempts + Math.ceil(absentAfterMs / pollIntervalMs);
  let order = start;
  let lookups = 0;
  let failedLookups = 0;
  let polls = 0;
  while (!(await isFinalWithFills(ctx, order))) {
    const byIdentifier = order.exchangeOrderId === null;
    if (byIdentifier ? lookups >= maxLookups || failedLookups >= maxResolveAttempts : polls >= maxPollAttempts) break;
    if (byIdentifier) lookups++;
    else polls++;
    await ctx.sleep(pollIntervalMs);
    const step = await refreshOrder(ctx, order);
    order = step.order;
    if (byIdentifier && step.outcome === 'unreachable') failedLookups++;
  }
  if (!isFinalOrderState(order.state)) {
    ctx.emit({ type: 'order-unresolved', ...info(order), attempts: lookups + polls, message: order.error ?? `still ${order.state}` });
  } else if (!(await hasAllFills(ctx, order))) {
    ctx.emit({ type: 'discrepancy', kind: 'fills-incomplete', market: order.market, message: `Order ${order.identifier} reports more executed volume than its recorded fills`, data: { ...info(order), executedVolume: order.executedVolume } });
  }
  return order;
}
