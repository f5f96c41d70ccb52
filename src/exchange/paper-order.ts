// Paper orders: building the Order snapshot and moving the paper balances for each fill, cancel and finish.
import type { Order } from '../core/types.ts';
import { costWithFee, feeOf, floorVolume } from '../core/ticks.ts';
import type { BookFill } from './paper-book.ts';
import { QUOTE_CURRENCY, type Ledger } from './paper-ledger.ts';

export type FillContext = { ledger: Ledger; feeRate: number; now: number; newId: () => string };

/** A v4-shaped UUID from an injected uniform [0, 1) source (never Math.random inside). */
export function uuidFrom(random: () => number): string {
  const hex = (n: number): string => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${(8 + Math.floor(random() * 4)).toString(16)}${hex(3)}-${hex(12)}`;
}

export const baseCurrency = (order: Pick<Order, 'market'>): string => order.market.split('-')[1] ?? order.market;

/** What the order holds locked, in KRW for a buy and in the base currency for a sell. */
const lockCurrency = (order: Order): string => (order.side === 'buy' ? QUOTE_CURRENCY : baseCurrency(order));

/** Reserves the order's `locked` amount; throws InsufficientFunds (from the ledger) when short. */
export function reserveFor(order: Order, ledger: Ledger): void {
  ledger.reserve(lockCurrency(order), order.locked);
}

/**
 * Records one fill on the order and the ledger. A buy pays price × volume plus the fee out of its
 * KRW lock (a limit buy filled below its limit gets the difference back); a sell gives up base
 * volume from its lock and receives the proceeds minus the fee.
 */
export function applyFill(order: Order, fill: BookFill, ctx: FillContext): void {
  const { ledger, feeRate } = ctx;
  const fee = feeOf(fill.funds, feeRate);
  const base = baseCurrency(order);
  if (order.side === 'buy') {
    const reserved = order.kind === 'market' ? costWithFee(fill.funds, feeRate) : costWithFee(order.price! * fill.volume, feeRate);
    ledger.spendLocked(QUOTE_CURRENCY, reserved);
    ledger.credit(QUOTE_CURRENCY, reserved - fill.funds - fee);
    ledger.credit(base, fill.volume, fill.price);
    order.locked -= reserved;
  } else {
    ledger.spendLocked(base, fill.volume);
    ledger.credit(QUOTE_CURRENCY, fill.funds - fee);
    order.locked = floorVolume(order.locked - fill.volume);
  }
  order.fills.push({ tradeId: ctx.newId(), price: fill.price, volume: fill.volume, funds: fill.funds, time: ctx.now, side: order.side });
  order.executedVolume = floorVolume(order.executedVolume + fill.volume);
  if (order.volume !== null) order.remainingVolume = floorVolume(order.volume - order.executedVolume);
  order.paidFee += fee;
  order.remainingFee = Math.max(0, order.reservedFee - order.paidFee);
  if (order.kind === 'limit' && order.side === 'buy') order.remainingFee = feeOf(order.price! * order.remainingVolume, feeRate);
  order.tradesCount = order.fills.length;
}

/**
 * Ends the order: what is still locked goes back to free. `done` when nothing is left to fill;
 * otherwise `cancelled` — like Upbit, where a market buy whose KRW was not consumed to the last
 * unit ends `cancel` with the dust refunded. The snapshot keeps `locked` = the amount released.
 */
export function finish(order: Order, ctx: FillContext, state: 'done' | 'cancelled'): void {
  ctx.ledger.release(lockCurrency(order), Math.max(0, order.locked));
  order.state = state;
  if (state === 'done') order.locked = 0;
}

/** Fills resting limit orders that the trade price reached (a buy at or below its limit, a sell at or above), at the limit. */
export function fillResting(open: Order[], price: number, ctx: FillContext): Order[] {
  const filled: Order[] = [];
  for (const order of open) {
    if (order.state !== 'open' || order.kind !== 'limit' || order.price === null || order.remainingVolume <= 0) continue;
    const reached = order.side === 'buy' ? price <= order.price : price >= order.price;
    if (!reached) continue;
    const volume = order.remainingVolume;
    applyFill(order, { price: order.price, volume, funds: order.price * volume }, ctx);
    finish(order, ctx, 'done');
    filled.push(order);
  }
  return filled;
}
