// Pure order-book walking for the paper exchange: which levels a market or crossing limit order takes, at what price.
import type { OrderbookLevel, Side } from '../core/types.ts';
import { floorVolume } from '../core/ticks.ts';

/** Upbit serves at most 30 levels; an order the first 30 cannot absorb is refused. */
export const MAX_BOOK_LEVELS = 30;
/** KRW amounts closer than this are equal (binary noise in price × volume). */
const KRW_EPSILON = 1e-9;

export type BookFill = { price: number; volume: number; funds: number };

export type KrwWalk = {
  fills: BookFill[];
  /** Σ funds, before fees. */
  spentKrw: number;
  /** KRW left over because the last level could only take whole 1e-8 volume units. */
  dustKrw: number;
};

const fill = (price: number, volume: number): BookFill => ({ price, volume, funds: price * volume });
const sumFunds = (fills: BookFill[]): number => fills.reduce((s, f) => s + f.funds, 0);
const topLevels = (levels: OrderbookLevel[]): OrderbookLevel[] => levels.slice(0, MAX_BOOK_LEVELS);

/**
 * Spends `amountKrw` of notional on the asks, best first (a market buy). The level that ends the
 * order takes the volume floored to 8 decimals, so a KRW remainder (dust) can stay unspent.
 * Null when the first 30 levels hold less than the amount.
 */
export function walkAsksForKrw(levels: OrderbookLevel[], amountKrw: number): KrwWalk | null {
  const fills: BookFill[] = [];
  let remaining = amountKrw;
  for (const level of topLevels(levels)) {
    if (level.askSize <= 0 || level.askPrice <= 0) continue;
    const levelKrw = level.askPrice * level.askSize;
    if (levelKrw <= remaining + KRW_EPSILON) {
      fills.push(fill(level.askPrice, level.askSize));
      remaining -= levelKrw;
      if (remaining <= KRW_EPSILON) return { fills, spentKrw: sumFunds(fills), dustKrw: 0 };
      continue;
    }
    const volume = floorVolume(remaining / level.askPrice);
    if (volume > 0) fills.push(fill(level.askPrice, volume));
    const spentKrw = sumFunds(fills);
    return { fills, spentKrw, dustKrw: Math.max(0, amountKrw - spentKrw) };
  }
  return null;
}

/** Sells `volume` into the bids, best first (a market sell). Null when the first 30 levels hold less. */
export function walkBidsForVolume(levels: OrderbookLevel[], volume: number): BookFill[] | null {
  const fills: BookFill[] = [];
  let remaining = floorVolume(volume);
  for (const level of topLevels(levels)) {
    if (remaining <= 0) break;
    if (level.bidSize <= 0 || level.bidPrice <= 0) continue;
    const take = Math.min(remaining, level.bidSize);
    fills.push(fill(level.bidPrice, take));
    remaining = floorVolume(remaining - take);
  }
  return remaining > 0 ? null : fills;
}

/**
 * The part of a limit order that crosses the book now: a buy takes asks priced ≤ the limit, a sell
 * takes bids priced ≥ it, each at the resting level's price. Empty when nothing crosses.
 */
export function crossLimit(levels: OrderbookLevel[], side: Side, limitPrice: number, volume: number): BookFill[] {
  const fills: BookFill[] = [];
  let remaining = floorVolume(volume);
  for (const level of topLevels(levels)) {
    if (remaining <= 0) break;
    const price = side === 'buy' ? level.askPrice : level.bidPrice;
    const size = side === 'buy' ? level.askSize : level.bidSize;
    if (size <= 0 || price <= 0) continue;
    if (side === 'buy' ? price > limitPrice : price < limitPrice) break;
    const take = Math.min(remaining, size);
    fills.push(fill(price, take));
    remaining = floorVolume(remaining - take);
  }
  return fills;
}

/** Total base volume of some fills. */
export const filledVolume = (fills: BookFill[]): number => floorVolume(fills.reduce((s, f) => s + f.volume, 0));
