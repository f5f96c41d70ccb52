// A position the owner sold outside the bot (in the Upbit app): its exit priced from the owner's real sell fills.
// Never invented: without the owner's sells the close keeps pnl null and says why.
import { feeOf } from '../core/ticks.ts';
import { DAY_MS } from '../core/time.ts';
import type { Order } from '../core/types.ts';
import { findOwnOrderIds } from '../db/repos/orders.ts';
import { getPosition, heldVolume, markPositionClosed, type PositionRecord } from '../db/repos/positions.ts';
import { ExchangeError, isFatal } from '../exchange/errors.ts';
import type { Exchange } from '../exchange/exchange.ts';
import type { ExecutorContext } from './executor-types.ts';
import { computePnl } from './position-settle.ts';
import { errorText } from '../error-text.ts';

/** One closed-orders query spans at most 7 days (upbit-api.md §5.6); the start is floored and the end rounded up to the second. */
const WINDOW_MS = 7 * DAY_MS - 60_000;
/** The owner's sells are looked for at most this far back (a position open longer is searched from here on). */
const MAX_LOOKBACK_MS = 5 * WINDOW_MS;
/** Rows per closed-orders query (Upbit's maximum). */
const PAGE_LIMIT = 1_000;

/** The position's exit with the owner's sells in it, ready for markPositionClosed, plus what this close alone sold. */
export type ExternalExit = {
  exitVolume: number;
  exitPrice: number;
  exitProceedsKrw: number;
  exitFeeKrw: number;
  pnlKrw: number;
  pnlRate: number;
  /** Base volume the owner's sells account for in this close (at most the missing volume). */
  soldVolume: number;
  /** Volume-weighted price of that volume. */
  avgPrice: number;
  proceedsKrw: number;
  feeKrw: number;
  /** Exchange ids of the owner's orders whose fills were taken, oldest first. */
  orderIds: string[];
  /** True when an order reported no paid fee and its fee was estimated at the configured rate. */
  isFeeEstimated: boolean;
};

export type ExternalExitLookup = { kind: 'priced'; exit: ExternalExit } | { kind: 'unknown'; reason: string };

type PricedPosition = Pick<PositionRecord, 'volume' | 'exitVolume' | 'entryCostKrw' | 'entryFeeKrw' | 'exitProceedsKrw' | 'exitFeeKrw'>;

const byAge = (a: Order, b: Order) => a.createdAt - b.createdAt || a.id.localeCompare(b.id);

/** An order's sell fills, oldest first, up to `wanted` (the last one split pro rata): volume and KRW funds taken. */
function takeFills(order: Order, wanted: number, eps: number): { volume: number; funds: number } {
  let volume = 0;
  let funds = 0;
  for (const fill of order.fills.filter((f) => f.side === 'sell').sort((a, b) => a.time - b.time)) {
    if (wanted - volume <= eps) break;
    if (!(fill.volume > 0)) continue;
    const part = Math.min(fill.volume, wanted - volume);
    volume += part;
    funds += fill.funds * (part / fill.volume);
  }
  return { volume, funds };
}

/**
 * Prices the external close from the owner's sell orders (with their fills), oldest first, taking at most
 * `missingVolume`: coins the owner sold beyond it were not the bot's (foreign holdings sold in the same order).
 * Fee: each order's paid_fee pro-rated to the volume taken from it; when an order reports none, funds × feeRate.
 *
 * PnL covers only the volume actually sold (earlier partial exits of the bot plus the owner's fills), with the
 * entry cost and fee pro-rated to it. Coins still held when the position is closed whole are reported by reconcile
 * as foreign holdings and never sold by the bot, and coins that left without a sale (a withdrawal) were not
 * realised: neither counts. Null when no fill was taken. Pure.
 */
export function priceExternalExit(position: PricedPosition, sells: readonly Order[], missingVolume: number, feeRate: number): ExternalExit | null {
  const eps = missingVolume * 1e-9;
  let left = missingVolume;
  let volume = 0;
  let funds = 0;
  let feeKrw = 0;
  let isFeeEstimated = false;
  const orderIds: string[] = [];
  for (const order of [...sells].sort(byAge)) {
    if (left <= eps) break;
    const taken = takeFills(order, left, eps);
    if (taken.volume <= 0) continue;
    const executed = order.executedVolume > 0 ? order.executedVolume : taken.volume;
    if (order.paidFee > 0) feeKrw += order.paidFee * Math.min(1, taken.volume / executed);
    else {
      feeKrw += feeOf(taken.funds, feeRate);
      isFeeEstimated = true;
    }
    left -= taken.volume;
    volume += taken.volume;
    funds += taken.funds;
    orderIds.push(order.id);
  }
  if (volume <= 0) return null;
  const exitVolume = position.exitVolume + volume;
  const exitProceedsKrw = (position.exitProceedsKrw ?? 0) + funds;
  const exitFeeKrw = (position.exitFeeKrw ?? 0) + feeKrw;
  const share = position.volume > 0 ? Math.min(1, exitVolume / position.volume) : 0;
  const { pnlKrw, pnlRate } = computePnl({
    entryCostKrw: position.entryCostKrw * share,
    entryFeeKrw: position.entryFeeKrw * share,
    proceedsKrw: exitProceedsKrw,
    exitFeeKrw,
  });
  return {
    exitVolume, exitPrice: exitProceedsKrw / exitVolume, exitProceedsKrw, exitFeeKrw, pnlKrw, pnlRate,
    soldVolume: volume, avgPrice: funds / volume, proceedsKrw: funds, feeKrw, orderIds, isFeeEstimated,
  };
}

type ListClosed = NonNullable<Exchange['fetchClosedOrders']>;

/** The owner's finished sells in the position's market since it opened (list rows: no fills), oldest first. */
async function listOwnerSells(ctx: ExecutorContext, list: ListClosed, position: PositionRecord, now: number): Promise<Order[]> {
  // Order rows carry created_at to the second; the position's open time (its first fill) has milliseconds.
  const openedAt = Math.floor((position.openedAt ?? position.createdAt) / 1000) * 1000;
  const found = new Map<string, Order>();
  let start = Math.min(now, Math.max(openedAt, now - MAX_LOOKBACK_MS));
  do {
    // No paging on this endpoint: a week with more than PAGE_LIMIT closed orders in one market would lose its oldest rows.
    const rows = await list({ market: position.market, states: ['done', 'cancel'], startTime: start, endTime: Math.min(now, start + WINDOW_MS), limit: PAGE_LIMIT });
    for (const o of rows) {
      if (o.market === position.market && o.side === 'sell' && o.executedVolume > 0 && o.createdAt >= openedAt) found.set(o.id, o);
    }
    start += WINDOW_MS;
  } while (start < now);
  const own = await findOwnOrderIds(ctx.db, [...found.values()]);
  return [...found.values()].filter((o) => !own.has(o.id)).sort(byAge);
}

/**
 * Finds the owner's sells of a position the exchange holds `missingVolume` less of, reads their fills (one order
 * lookup each, oldest first, until the missing volume is covered) and prices the exit. A failed lookup
 * (ExchangeError) is an `unknown` with the reason; a fatal one (key, IP, permission) is thrown.
 */
export async function lookupExternalExit(ctx: ExecutorContext, position: PositionRecord, missingVolume: number): Promise<ExternalExitLookup> {
  const { exchange } = ctx;
  const fetchClosed = exchange.fetchClosedOrders;
  if (!fetchClosed) return { kind: 'unknown', reason: 'the exchange cannot list closed orders' };
  const list: ListClosed = (q) => fetchClosed.call(exchange, q);
  try {
    const sells: Order[] = [];
    let covered = 0;
    for (const row of await listOwnerSells(ctx, list, position, ctx.clock.now())) {
      if (covered >= missingVolume * (1 - 1e-9)) break;
      const order = await exchange.fetchOrder({ id: row.id });
      sells.push(order);
      covered += order.fills.reduce((sum, f) => sum + (f.side === 'sell' ? f.volume : 0), 0);
    }
    const exit = priceExternalExit(position, sells, missingVolume, ctx.settings.feeRate);
    if (!exit) return { kind: 'unknown', reason: `no sell of ${position.market} outside the bot was found since the position opened` };
    return { kind: 'priced', exit };
  } catch (err) {
    if (!(err instanceof ExchangeError) || isFatal(err)) throw err;
    return { kind: 'unknown', reason: `the owner's sells could not be looked up: ${errorText(err)}` };
  }
}

/** What an external close booked: the PnL from the owner's sells, or null with the reason. */
export type ExternalCloseOutcome = { pnlKrw: number | null; pnlRate: number | null; pnlUnknownReason: string | null };

/**
 * Closes an open position the exchange holds only `balanceVolume` of (sold outside the bot); no order is posted.
 * The whole position is closed; coins still on the exchange are then foreign holdings. Null when it was not open.
 * The owner's fills are not stored: a fill row belongs to an order row of the bot (fills.order_id), and these orders
 * are not the bot's. Their totals are kept on the position (exit volume, price, proceeds, fee, PnL).
 */
export async function closeExternalPosition(ctx: ExecutorContext, positionId: number, balanceVolume: number): Promise<ExternalCloseOutcome | null> {
  const position = await getPosition(ctx.db, positionId);
  if (!position || position.state !== 'open') return null;
  const held = heldVolume(position);
  const found = await lookupExternalExit(ctx, position, Math.max(0, held - balanceVolume));
  const exit = found.kind === 'priced' ? found.exit : null;
  const closed = await markPositionClosed(ctx.db, positionId, 'open', {
    exitVolume: exit?.exitVolume ?? position.exitVolume,
    exitPrice: exit?.exitPrice ?? position.exitPrice,
    exitProceedsKrw: exit?.exitProceedsKrw ?? position.exitProceedsKrw ?? 0,
    exitFeeKrw: exit?.exitFeeKrw ?? position.exitFeeKrw ?? 0,
    closedAt: ctx.clock.now(),
    exitReason: 'external',
    pnlKrw: exit?.pnlKrw ?? null,
    pnlRate: exit?.pnlRate ?? null,
    dustVolume: 0,
  });
  if (!closed) return null;
  const outcome = { pnlKrw: exit?.pnlKrw ?? null, pnlRate: exit?.pnlRate ?? null, pnlUnknownReason: found.kind === 'unknown' ? found.reason : null };
  ctx.emit({
    type: 'external-close', positionId, market: position.market, heldVolume: held, balanceVolume,
    soldVolume: exit?.soldVolume ?? 0, avgPrice: exit?.avgPrice ?? null, proceedsKrw: exit?.proceedsKrw ?? null, feeKrw: exit?.feeKrw ?? null,
    isFeeEstimated: exit?.isFeeEstimated ?? false, ownerOrderIds: exit?.orderIds ?? [], ...outcome,
  });
  return outcome;
}
