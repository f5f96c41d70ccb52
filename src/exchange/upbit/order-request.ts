// PlaceOrderRequest (app words) → Upbit POST /v1/orders body, validated and formatted through core/ticks.ts.
import { floorVolume, krwTickSize, meetsMinimum, MIN_ORDER_KRW, roundPriceToTick, tickDecimals, toDecimalString, VOLUME_DECIMALS } from '../../core/ticks.ts';
import { InvalidOrder, MinimumTotal } from '../errors.ts';
import type { PlaceOrderRequest } from '../exchange.ts';

/** Upbit identifiers must be unique forever; this alphabet makes encoding irrelevant to the query hash. */
export const IDENTIFIER_PATTERN = /^[A-Za-z0-9._~-]{1,64}$/;

export type UpbitOrderBody = {
  market: string;
  side: 'bid' | 'ask';
  ord_type: 'limit' | 'price' | 'market' | 'best';
  volume?: string;
  price?: string;
  time_in_force?: 'ioc' | 'fok' | 'post_only';
  identifier: string;
};

/** Live tick size for a market when known (from /v1/orderbook/instruments); the KRW table otherwise. */
export type TickSizeLookup = (market: string, price: number) => number | undefined;

const ENDPOINT = 'POST /v1/orders';

function invalid(req: PlaceOrderRequest, why: string): InvalidOrder {
  return new InvalidOrder(`Could not place ${req.kind} ${req.side} order ${req.identifier} on ${req.market}: ${why}`, {
    endpoint: ENDPOINT,
    code: 'client_validation',
  });
}

function positive(req: PlaceOrderRequest, field: 'price' | 'volume' | 'amountKrw'): number {
  const v = req[field];
  if (v === undefined || !Number.isFinite(v) || v <= 0) throw invalid(req, `${field} must be a positive number (got ${v})`);
  return v;
}

function formatVolumeOf(req: PlaceOrderRequest): string {
  const v = floorVolume(positive(req, 'volume'));
  if (v <= 0) throw invalid(req, `volume ${req.volume} is 0 after flooring to ${VOLUME_DECIMALS} decimals`);
  return toDecimalString(v, VOLUME_DECIMALS);
}

/** KRW total of a market/best buy: whole KRW, floored so we never spend more than asked. */
function formatAmountOf(req: PlaceOrderRequest): string {
  const amount = Math.floor(positive(req, 'amountKrw'));
  if (req.market.startsWith('KRW-') && !meetsMinimum(amount)) {
    throw new MinimumTotal(`Could not place ${req.side} order ${req.identifier} on ${req.market}: ${amount} KRW is under the ${MIN_ORDER_KRW} KRW minimum`, {
      endpoint: ENDPOINT,
      code: 'client_validation',
    });
  }
  return toDecimalString(amount, 0);
}

/** A limit price on the tick grid, rounded away from crossing (buy down, sell up). */
function formatLimitPrice(req: PlaceOrderRequest, tickSize?: TickSizeLookup): string {
  const price = positive(req, 'price');
  const tick = tickSize?.(req.market, price) ?? krwTickSize(price);
  const onGrid = roundPriceToTick(price, req.side === 'buy' ? 'down' : 'up', tick);
  if (onGrid <= 0) throw invalid(req, `price ${price} rounds to 0 on tick ${tick}`);
  return toDecimalString(onGrid, tickDecimals(tick));
}

export function toOrderBody(req: PlaceOrderRequest, tickSize?: TickSizeLookup): UpbitOrderBody {
  if (!IDENTIFIER_PATTERN.test(req.identifier ?? '')) throw invalid(req, `identifier must match ${IDENTIFIER_PATTERN.source}`);
  const side = req.side === 'buy' ? 'bid' : 'ask';
  const base = { market: req.market, side } as const;
  const tif = req.timeInForce;
  if (req.kind === 'limit') {
    const volume = formatVolumeOf(req);
    const price = formatLimitPrice(req, tickSize);
    if (req.market.startsWith('KRW-') && !meetsMinimum(Number(price) * Number(volume))) {
      throw new MinimumTotal(`Could not place limit ${req.side} order ${req.identifier} on ${req.market}: ${price} × ${volume} is under ${MIN_ORDER_KRW} KRW`, {
        endpoint: ENDPOINT,
        code: 'client_validation',
      });
    }
    return { ...base, ord_type: 'limit', volume, price, ...(tif ? { time_in_force: tif } : {}), identifier: req.identifier };
  }
  if (req.kind === 'market') {
    if (tif) throw invalid(req, 'time in force is not allowed on a market order');
    return req.side === 'buy'
      ? { ...base, ord_type: 'price', price: formatAmountOf(req), identifier: req.identifier }
      : { ...base, ord_type: 'market', volume: formatVolumeOf(req), identifier: req.identifier };
  }
  if (tif !== 'ioc' && tif !== 'fok') throw invalid(req, `a best-price order needs time in force ioc or fok (got ${tif})`);
  return req.side === 'buy'
    ? { ...base, ord_type: 'best', price: formatAmountOf(req), time_in_force: tif, identifier: req.identifier }
    : { ...base, ord_type: 'best', volume: formatVolumeOf(req), time_in_force: tif, identifier: req.identifier };
}
