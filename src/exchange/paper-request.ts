// Validates a PlaceOrderRequest the way Upbit does and turns it into the paper Order it would create (nothing filled yet).
import type { Order } from '../core/types.ts';
import { costWithFee, feeOf, floorVolume, isOnTickGrid, krwTickSize, MAX_ORDER_KRW, meetsMinimum, MIN_ORDER_KRW } from '../core/ticks.ts';
import { InvalidOrder, MinimumTotal } from './errors.ts';
import type { PlaceOrderRequest } from './exchange.ts';

const IDENTIFIER = /^[A-Za-z0-9._~-]{1,64}$/;
const MARKET = /^KRW-[A-Z0-9]+$/;

export type NewOrderContext = { id: string; now: number; feeRate: number };

const invalid = (request: PlaceOrderRequest, why: string): InvalidOrder =>
  new InvalidOrder(`Could not place the paper ${request.kind} ${request.side} on ${request.market}: ${why}`);

const positive = (x: number | undefined): x is number => x !== undefined && Number.isFinite(x) && x > 0;

/** Throws MinimumTotal / InvalidOrder when a KRW total is outside Upbit's 5,000 … 1,000,000,000 range. */
export function checkTotal(request: PlaceOrderRequest, totalKrw: number): void {
  if (!meetsMinimum(totalKrw)) {
    throw new MinimumTotal(`Could not place the paper ${request.kind} ${request.side} on ${request.market}: total ${totalKrw} KRW is under the ${MIN_ORDER_KRW} KRW minimum`);
  }
  if (totalKrw > MAX_ORDER_KRW) throw invalid(request, `total ${totalKrw} KRW is over the ${MAX_ORDER_KRW} KRW maximum`);
}

function checkShape(request: PlaceOrderRequest): void {
  if (!IDENTIFIER.test(request.identifier)) throw invalid(request, `identifier "${request.identifier}" must be 1-64 of [A-Za-z0-9._~-]`);
  if (!MARKET.test(request.market)) throw invalid(request, 'the paper exchange trades KRW markets only');
  if (request.kind === 'best') throw invalid(request, "the paper exchange does not simulate 'best' orders");
  if (request.kind === 'market' && request.timeInForce) throw invalid(request, 'a market order takes no time in force');
  if (request.kind === 'market' && request.price !== undefined) throw invalid(request, 'a market order takes no price');
  if (request.kind === 'market' && request.side === 'buy' && !positive(request.amountKrw)) throw invalid(request, 'a market buy needs amountKrw > 0');
  if (request.side === 'sell' || request.kind === 'limit') {
    if (!positive(request.volume)) throw invalid(request, 'volume must be > 0');
    if (floorVolume(request.volume) <= 0) throw invalid(request, `volume ${request.volume} is below 0.00000001`);
  }
  if (request.kind === 'limit') {
    if (!positive(request.price)) throw invalid(request, 'a limit order needs price > 0');
    if (!isOnTickGrid(request.price)) throw invalid(request, `price ${request.price} is not a multiple of the ${krwTickSize(request.price)} KRW tick`);
  }
}

const blankOrder = (request: PlaceOrderRequest, ctx: NewOrderContext): Order => ({
  id: ctx.id,
  identifier: request.identifier,
  market: request.market,
  side: request.side,
  kind: request.kind,
  state: 'open',
  price: null,
  volume: null,
  executedVolume: 0,
  remainingVolume: 0,
  paidFee: 0,
  reservedFee: 0,
  remainingFee: 0,
  locked: 0,
  tradesCount: 0,
  timeInForce: request.timeInForce ?? null,
  createdAt: ctx.now,
  fills: [],
  raw: { source: 'paper' },
});

/**
 * The order as accepted, with its reservation in `locked` (KRW incl. the fee on top for buys,
 * base volume for sells). Market sells are checked against the minimum later, on the book.
 */
export function toPaperOrder(request: PlaceOrderRequest, ctx: NewOrderContext): Order {
  checkShape(request);
  const order = blankOrder(request, ctx);
  if (request.kind === 'market' && request.side === 'buy') {
    const amount = request.amountKrw!;
    checkTotal(request, amount);
    return { ...order, price: amount, reservedFee: feeOf(amount, ctx.feeRate), remainingFee: feeOf(amount, ctx.feeRate), locked: costWithFee(amount, ctx.feeRate) };
  }
  const volume = floorVolume(request.volume!);
  if (request.kind === 'market') return { ...order, volume, remainingVolume: volume, locked: volume };
  const price = request.price!;
  checkTotal(request, price * volume);
  if (request.side === 'sell') return { ...order, price, volume, remainingVolume: volume, locked: volume };
  const fee = feeOf(price * volume, ctx.feeRate);
  return { ...order, price, volume, remainingVolume: volume, reservedFee: fee, remainingFee: fee, locked: costWithFee(price * volume, ctx.feeRate) };
}
