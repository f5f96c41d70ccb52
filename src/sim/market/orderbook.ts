// A synthetic order book at time t: one-tick spread around the last price, sizes tied to the last hour's volume.
import { floorVolume, krwTickSize, roundPriceToTick } from '../../core/ticks.ts';
import type { SimBookLevel } from '../types.ts';
import { hash32 } from './prng.ts';

/** Each level holds at least this much KRW, so small orders always fill. */
export const MIN_LEVEL_KRW = 200_000;
/** A level holds this share of the average minute volume (before depth growth and jitter). */
const LEVEL_SHARE_OF_MINUTE = 0.3;

/** The next grid price below p (the tick just under a band edge is the finer one). */
function tickBelow(p: number): number {
  const tick = krwTickSize(p * (1 - 1e-9));
  return roundPriceToTick(p - tick, 'nearest', tick);
}

function tickAbove(p: number): number {
  const tick = krwTickSize(p);
  return roundPriceToTick(p + tick, 'nearest', tick);
}

/**
 * Levels for last price `lastPrice` (on the grid) and `minuteVolume`, the average base volume per
 * minute over the last hour. Sizes grow with depth and jitter deterministically per second.
 */
export function buildOrderbook(lastPrice: number, minuteVolume: number, t: number, depth: number, salt: number): SimBookLevel[] {
  const levels: SimBookLevel[] = [];
  let bid = roundPriceToTick(lastPrice, 'down');
  let ask = tickAbove(bid);
  const second = Math.floor(t / 1000);
  for (let k = 0; k < depth; k++) {
    const base = minuteVolume * LEVEL_SHARE_OF_MINUTE * (1 + 0.12 * k);
    const r = hash32(hash32(salt, second), k);
    const jitterAsk = 0.6 + ((r & 0xffff) / 0xffff) * 0.8;
    const jitterBid = 0.6 + ((r >>> 16) / 0xffff) * 0.8;
    const hasBid = bid > 0;
    levels.push({
      askPrice: ask,
      askSize: floorVolume(Math.max(base * jitterAsk, MIN_LEVEL_KRW / ask)),
      bidPrice: hasBid ? bid : 0,
      bidSize: hasBid ? floorVolume(Math.max(base * jitterBid, MIN_LEVEL_KRW / bid)) : 0,
    });
    ask = tickAbove(ask);
    bid = hasBid ? tickBelow(bid) : 0;
  }
  return levels;
}
