// Pure matching helpers: walking the visible book for taker orders, and deciding when a resting limit fills.
import { floorVolume } from '../core/ticks.ts';
import type { SimBookLevel, SimTrade } from './types.ts';

export type UpbitSide = 'bid' | 'ask';
export type BookLevel = { price: number; size: number };
export type TakerFill = { price: number; volume: number; funds: number };
export type WalkResult = { fills: TakerFill[]; volume: number; funds: number };

const round8 = (x: number): number => Number(x.toFixed(8));

/** The levels a taker of `side` consumes: a bid takes the asks (ascending), an ask the bids (descending). */
export function opposite(levels: SimBookLevel[], side: UpbitSide): BookLevel[] {
  return levels
    .map((l) => (side === 'bid' ? { price: l.askPrice, size: l.askSize } : { price: l.bidPrice, size: l.bidSize }))
    .filter((l) => l.size > 0);
}

/** Total KRW (for a bid) or volume (for an ask) the visible levels can absorb. */
export function depth(levels: BookLevel[], side: UpbitSide): number {
  return levels.reduce((sum, l) => sum + (side === 'bid' ? l.price * l.size : l.size), 0);
}

const withinLimit = (price: number, side: UpbitSide, limit: number | null): boolean =>
  limit === null || (side === 'bid' ? price <= limit : price >= limit);

/** Spends up to `funds` KRW on the levels (a market/best buy); volumes floored to 8 decimals. */
export function walkByFunds(levels: BookLevel[], funds: number, limit: number | null = null): WalkResult {
  const fills: TakerFill[] = [];
  let left = funds;
  for (const l of levels) {
    if (!withinLimit(l.price, 'bid', limit)) break;
    const volume = floorVolume(Math.min(l.size, left / l.price));
    if (volume <= 0) break;
    const spent = volume * l.price;
    fills.push({ price: l.price, volume, funds: spent });
    left -= spent;
  }
  return summarize(fills);
}

/** Takes up to `volume` from the levels for a taker of `side`, stopping at the limit price. */
export function walkByVolume(levels: BookLevel[], side: UpbitSide, volume: number, limit: number | null = null): WalkResult {
  const fills: TakerFill[] = [];
  let left = volume;
  for (const l of levels) {
    if (left <= 0 || !withinLimit(l.price, side, limit)) break;
    const v = round8(Math.min(l.size, left));
    if (v <= 0) break;
    fills.push({ price: l.price, volume: v, funds: v * l.price });
    left = round8(left - v);
  }
  return summarize(fills);
}

function summarize(fills: TakerFill[]): WalkResult {
  return {
    fills,
    volume: round8(fills.reduce((s, f) => s + f.volume, 0)),
    funds: fills.reduce((s, f) => s + f.funds, 0),
  };
}

/** Whether a limit at `price` would take liquidity right now (what post_only refuses). */
export function crosses(levels: SimBookLevel[], side: UpbitSide, price: number): boolean {
  const best = levels[0];
  if (!best) return false;
  return side === 'bid' ? best.askSize > 0 && price >= best.askPrice : best.bidSize > 0 && price <= best.bidPrice;
}

/**
 * The first market trade that reaches a resting limit: a bid fills when a trade prints at or below
 * its price, an ask when one prints at or above. Trades oldest first.
 */
export function firstCrossing(trades: SimTrade[], side: UpbitSide, price: number): SimTrade | null {
  for (const t of trades) if (side === 'bid' ? t.price <= price : t.price >= price) return t;
  return null;
}
