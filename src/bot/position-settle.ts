// Positions from real fills: settle an entry (open it or drop it) and an exit (close, with PnL and dust, or reopen).
// Every settle is recomputed from the stored fills, so running it twice changes nothing.
import { feeOf, floorVolume } from '../core/ticks.ts';
import { listFillsForOrder, listFillsForOrders, totalFills } from '../db/repos/fills.ts';
import { listOrdersForPosition, type StoredOrder } from '../db/repos/orders.ts';
import {
  deleteUnfilledPosition,
  getPosition,
  markPositionClosed,
  markPositionOpen,
  reopenPosition,
  type PositionRecord,
} from '../db/repos/positions.ts';
import type { CloseResult, ExecutorContext, OpenResult } from './executor-types.ts';
import { isFinalWithFills } from './order-sync.ts';

/** PnL of a trade = proceeds − exit fee − (entry cost + entry fee); the rate is against what the entry cost. */
export function computePnl(p: { entryCostKrw: number; entryFeeKrw: number; proceedsKrw: number; exitFeeKrw: number }): {
  pnlKrw: number;
  pnlRate: number;
} {
  const invested = p.entryCostKrw + p.entryFeeKrw;
  const pnlKrw = p.proceedsKrw - p.exitFeeKrw - invested;
  return { pnlKrw, pnlRate: invested > 0 ? pnlKrw / invested : 0 };
}

/** The fee the exchange reported, or the configured rate on the funds when it reported none. */
const feeOfOrder = (ctx: ExecutorContext, order: StoredOrder, fundsKrw: number): number =>
  order.paidFee > 0 || fundsKrw === 0 ? order.paidFee : feeOf(fundsKrw, ctx.settings.feeRate);

/**
 * Settles a final entry order: the position opens from its fills, or disappears when there are none. Pending while
 * the order is not final, or final with executed volume its recorded fills do not cover yet (the trades' lookup failed).
 */
export async function settleEntry(ctx: ExecutorContext, order: StoredOrder): Promise<OpenResult> {
  const positionId = order.positionId!;
  if (!(await isFinalWithFills(ctx, order))) return { status: 'pending', positionId, orderId: order.id };
  const totals = totalFills(await listFillsForOrder(ctx.db, order.id));
  if (totals.volume > 0) {
    const entry = {
      volume: totals.volume,
      entryPrice: totals.avgPrice!,
      entryCostKrw: totals.fundsKrw,
      entryFeeKrw: feeOfOrder(ctx, order, totals.fundsKrw),
      openedAt: totals.firstTime ?? ctx.clock.now(),
    };
    const opened = await markPositionOpen(ctx.db, positionId, entry);
    if (opened) {
      ctx.emit({ type: 'entry-filled', positionId, orderId: order.id, market: order.market, volume: entry.volume, avgPrice: entry.entryPrice, costKrw: entry.entryCostKrw, feeKrw: entry.entryFeeKrw });
    }
    return { status: 'opened', positionId, orderId: order.id, volume: entry.volume, avgPrice: entry.entryPrice };
  }
  const cause = order.state === 'rejected' ? 'rejected' : order.state === 'absent' ? 'absent' : 'no-fills';
  if (await deleteUnfilledPosition(ctx.db, positionId)) {
    ctx.emit({ type: 'entry-unfilled', positionId, orderId: order.id, market: order.market, cause });
  }
  return { status: 'not-opened', orderId: order.id, cause, ...(order.error ? { error: order.error } : {}) };
}

export type ExitOptions = {
  /** Price to value a remainder with when no sell filled (a recent ticker price). */
  priceHint?: number | null;
  /** Close whatever is left as dust (the exchange said the total is under its minimum). */
  forceDust?: boolean;
};

async function exitTotals(ctx: ExecutorContext, sells: StoredOrder[]) {
  const all = await listFillsForOrders(ctx.db, sells.map((o) => o.id));
  let feeKrw = 0;
  for (const o of sells) feeKrw += feeOfOrder(ctx, o, totalFills(all.filter((f) => f.orderId === o.id)).fundsKrw);
  return { totals: totalFills(all), feeKrw };
}

/**
 * Settles a position in `closing` once all its sell orders are final with their fills recorded: closed (with PnL, and
 * the remainder under the minimum order recorded as dust), or open again with what is left when the exit sold nothing
 * or too little. A final sell whose trades are still missing keeps it pending, never reopened as "sold nothing".
 */
export async function settleExit(ctx: ExecutorContext, positionId: number, opts: ExitOptions = {}): Promise<CloseResult> {
  const position = await getPosition(ctx.db, positionId);
  if (!position || position.state !== 'closing') return { status: 'not-open', positionId };
  const sells = (await listOrdersForPosition(ctx.db, positionId)).filter((o) => o.side === 'sell');
  const last = sells[sells.length - 1];
  for (const o of sells) {
    if (!(await isFinalWithFills(ctx, o))) return { status: 'pending', positionId, orderId: o.id };
  }
  const { totals, feeKrw } = await exitTotals(ctx, sells);
  const exit = { exitVolume: totals.volume, exitPrice: totals.avgPrice, exitProceedsKrw: totals.fundsKrw, exitFeeKrw: feeKrw };
  const remaining = floorVolume(Math.max(0, position.volume - totals.volume));
  const price = totals.lastPrice ?? opts.priceHint ?? position.entryPrice ?? 0;
  const orderId = last?.id ?? 0;
  if (opts.forceDust || remaining * price < ctx.settings.minOrderKrw) {
    return closeWithDust(ctx, position, { ...exit, remaining, price, orderId });
  }
  const reopened = await reopenPosition(ctx.db, positionId, exit);
  if (!reopened) return { status: 'not-open', positionId };
  const soldNow = totals.volume - position.exitVolume;
  if (soldNow > 0) {
    ctx.emit({ type: 'exit-partial', positionId, orderId, market: position.market, soldVolume: soldNow, remainingVolume: remaining });
    return { status: 'partial', positionId, remainingVolume: remaining };
  }
  ctx.emit({ type: 'exit-unfilled', positionId, orderId, market: position.market });
  const cause = last?.state === 'rejected' ? 'rejected' : last?.state === 'absent' ? 'absent' : 'no-fills';
  return { status: 'not-closed', positionId, cause, ...(last?.error ? { error: last.error } : {}) };
}

type CloseInput = { exitVolume: number; exitPrice: number | null; exitProceedsKrw: number; exitFeeKrw: number; remaining: number; price: number; orderId: number };

async function closeWithDust(ctx: ExecutorContext, position: PositionRecord, c: CloseInput): Promise<CloseResult> {
  const { pnlKrw, pnlRate } = computePnl({ ...position, proceedsKrw: c.exitProceedsKrw, exitFeeKrw: c.exitFeeKrw });
  const closed = await markPositionClosed(ctx.db, position.id, 'closing', {
    exitVolume: c.exitVolume,
    exitPrice: c.exitPrice,
    exitProceedsKrw: c.exitProceedsKrw,
    exitFeeKrw: c.exitFeeKrw,
    closedAt: ctx.clock.now(),
    exitReason: position.exitReason ?? 'manual',
    pnlKrw,
    pnlRate,
    dustVolume: c.remaining,
  });
  if (!closed) return { status: 'not-open', positionId: position.id };
  const base = { positionId: position.id, market: position.market };
  if (c.exitVolume > 0) {
    ctx.emit({ type: 'exit-filled', ...base, orderId: c.orderId, reason: closed.exitReason ?? 'manual', volume: c.exitVolume, avgPrice: c.exitPrice, proceedsKrw: c.exitProceedsKrw, feeKrw: c.exitFeeKrw, pnlKrw, pnlRate, dustVolume: c.remaining });
  }
  if (c.remaining > 0) ctx.emit({ type: 'dust', ...base, volume: c.remaining, valueKrw: c.remaining * c.price, positionClosed: true });
  return { status: 'closed', positionId: position.id, pnlKrw, dustVolume: c.remaining };
}
