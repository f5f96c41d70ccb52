// Parses a POST /v1/orders body into an order spec, enforcing Upbit's parameter combinations (§5.3).
// Market, tick, minimum and funds checks need state and live in the engine; this is only the shape.
import { exchangeError } from './errors.ts';
import type { UpbitSide } from './matching.ts';

export type OrdType = 'limit' | 'price' | 'market' | 'best';
export type TimeInForce = 'ioc' | 'fok' | 'post_only';

export type OrderSpec = {
  market: string;
  side: UpbitSide;
  ordType: OrdType;
  /** limit: unit price; price/best bid: KRW total; otherwise null. */
  price: number | null;
  /** Base volume; null for price/best bids. */
  volume: number | null;
  timeInForce: TimeInForce | null;
  smpType: string | null;
  identifier: string | null;
};

const validation = (message: string) => exchangeError(400, 'validation_error', message);

function optString(body: Record<string, unknown>, key: string): string | null {
  const v = body[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string' && typeof v !== 'number') throw validation(`${key} has an invalid type`);
  return String(v);
}

function decimal(raw: string | null, key: string): number | null {
  if (raw === null) return null;
  if (!/^\d+(\.\d{1,8})?$/.test(raw) || Number(raw) <= 0) throw validation(`${key} is not a positive decimal with at most 8 decimals: ${raw}`);
  return Number(raw);
}

/** The market code of a body (needed first: an unknown market is reported before anything else). */
export function marketOf(body: Record<string, unknown>): string {
  const market = optString(body, 'market');
  if (market === null || market === '') throw validation('market is required');
  return market;
}

/** Validates the parameter combination; throws SimHttpError (400) with Upbit's error names. */
export function parseOrderSpec(body: Record<string, unknown>): OrderSpec {
  const market = marketOf(body);
  const side = optString(body, 'side');
  if (side !== 'bid' && side !== 'ask') throw validation(`side must be bid or ask, got ${String(side)}`);
  const ordType = optString(body, 'ord_type');
  if (ordType !== 'limit' && ordType !== 'price' && ordType !== 'market' && ordType !== 'best') {
    throw validation(`ord_type must be limit, price, market or best, got ${String(ordType)}`);
  }
  const rawPrice = optString(body, 'price');
  const rawVolume = optString(body, 'volume');
  const tif = optString(body, 'time_in_force');
  const smpType = optString(body, 'smp_type');
  const identifier = optString(body, 'identifier');
  const combo = exchangeError(400, side === 'bid' ? 'create_bid_error' : 'create_ask_error', `Invalid parameters for a ${side} ${ordType} order`);
  const badTif = exchangeError(400, 'invalid_time_in_force', `time_in_force ${String(tif)} is not allowed for ord_type ${ordType}`);

  if (ordType === 'limit') {
    if (rawPrice === null || rawVolume === null) throw combo;
    if (tif !== null && tif !== 'ioc' && tif !== 'fok' && tif !== 'post_only') throw badTif;
  } else if (ordType === 'best') {
    if (tif !== 'ioc' && tif !== 'fok') throw badTif;
    if (side === 'bid' ? rawPrice === null || rawVolume !== null : rawVolume === null || rawPrice !== null) throw combo;
  } else {
    const wantSide: UpbitSide = ordType === 'price' ? 'bid' : 'ask';
    if (side !== wantSide) throw combo;
    if (ordType === 'price' ? rawPrice === null || rawVolume !== null : rawVolume === null || rawPrice !== null) throw combo;
    if (tif !== null) throw badTif;
  }
  if (smpType !== null && !['reduce', 'cancel_maker', 'cancel_taker'].includes(smpType)) throw validation(`smp_type is invalid: ${smpType}`);
  if (smpType !== null && tif === 'post_only') throw exchangeError(400, 'invalid_post_only', 'post_only cannot be combined with smp_type');
  if (identifier !== null && (identifier.length === 0 || identifier.length > 64)) throw validation('identifier must be 1 to 64 characters');
  return {
    market,
    side,
    ordType,
    price: decimal(rawPrice, 'price'),
    volume: decimal(rawVolume, 'volume'),
    timeInForce: tif as TimeInForce | null,
    smpType,
    identifier,
  };
}
