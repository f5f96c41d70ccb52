// Pure parsers for Upbit Order objects (single, lists, batch cancel) → core Order with Fill[].
import { z } from 'zod';
import type { Fill, Order, OrderKind, OrderState, Side, TimeInForce } from '../../core/types.ts';
import { isoTime, num, optNum, parseWith } from './parse-util.ts';

const SIDES: Record<'bid' | 'ask', Side> = { bid: 'buy', ask: 'sell' };
const KINDS: Record<'limit' | 'price' | 'market' | 'best', OrderKind> = { limit: 'limit', price: 'market', market: 'market', best: 'best' };
const STATES: Record<'wait' | 'watch' | 'done' | 'cancel', OrderState> = { wait: 'open', watch: 'open', done: 'done', cancel: 'cancelled' };

const side = z.enum(['bid', 'ask']);
const amount = optNum.transform((v) => v ?? 0);

const tradeSchema = z.object({
  uuid: z.string().min(1),
  price: num,
  volume: num,
  funds: num,
  side: side.optional(),
  created_at: isoTime,
});

const orderSchema = z.object({
  uuid: z.string().min(1),
  market: z.string().min(1),
  side,
  ord_type: z.enum(['limit', 'price', 'market', 'best']),
  state: z.enum(['wait', 'watch', 'done', 'cancel']),
  created_at: isoTime,
  price: optNum,
  volume: optNum,
  remaining_volume: amount,
  // Required: read as 0 when absent, a final order with no trades would be settled as nothing filled.
  executed_volume: num,
  reserved_fee: amount,
  remaining_fee: amount,
  paid_fee: amount,
  locked: amount,
  trades_count: z.number().int().nonnegative().default(0),
  time_in_force: z.enum(['ioc', 'fok', 'post_only']).nullish(),
  identifier: z.string().nullish(),
  trades: z.array(tradeSchema).optional(),
});

type RawOrder = z.output<typeof orderSchema>;

function toOrder(o: RawOrder, raw: unknown): Order {
  const orderSide = SIDES[o.side];
  const fills: Fill[] = (o.trades ?? []).map((t) => ({
    tradeId: t.uuid,
    price: t.price,
    volume: t.volume,
    funds: t.funds,
    time: t.created_at,
    side: t.side ? SIDES[t.side] : orderSide,
  }));
  return {
    id: o.uuid,
    identifier: o.identifier ?? null,
    market: o.market,
    side: orderSide,
    kind: KINDS[o.ord_type],
    state: STATES[o.state],
    price: o.price,
    volume: o.volume,
    executedVolume: o.executed_volume,
    remainingVolume: o.remaining_volume,
    paidFee: o.paid_fee,
    reservedFee: o.reserved_fee,
    remainingFee: o.remaining_fee,
    locked: o.locked,
    tradesCount: o.trades_count,
    timeInForce: (o.time_in_force ?? null) as TimeInForce | null,
    createdAt: o.created_at,
    fills,
    raw,
  };
}

// GET /v1/order?uuid=… (market buy that ended `cancel` after filling, upbit-api.md §5.5)
// {"uuid":"…","side":"bid","ord_type":"price","price":"6000","state":"cancel","market":"KRW-BTC",
//  "created_at":"2025-07-04T15:00:00+09:00","remaining_volume":null,"reserved_fee":"3","remaining_fee":"0.00010408",
//  "paid_fee":"2.99989592","locked":"0.20826408","executed_volume":"0.00003736","trades_count":1,
//  "trades":[{"market":"KRW-BTC","uuid":"…","price":"160594000","volume":"0.00003736","funds":"5999.79184",
//    "trend":"up","created_at":"2025-07-04T15:00:00.123456+09:00","side":"bid"}]}
export function parseOrder(raw: unknown): Order {
  return toOrder(parseWith(orderSchema, raw, 'order'), raw);
}

// GET /v1/orders/open, /v1/orders/closed, /v1/orders/uuids: arrays of the same Order object without `trades`.
export function parseOrders(raw: unknown): Order[] {
  const rows = parseWith(z.array(z.unknown()), raw, 'order list');
  return rows.map((row, i) => toOrder(parseWith(orderSchema, row, `order list[${i}]`), row));
}

export type BatchCancelResult = {
  cancelled: Array<{ id: string; market: string; identifier: string | null }>;
  failed: Array<{ id: string; market: string; identifier: string | null }>;
};

// DELETE /v1/orders/open, DELETE /v1/orders/uuids
// {"success":{"count":1,"orders":[{"uuid":"…","market":"KRW-BTC","identifier":null}]},"failed":{"count":0,"orders":[]}}
const refSchema = z.object({ uuid: z.string(), market: z.string(), identifier: z.string().nullish() });
const batchSchema = z.object({
  success: z.object({ count: z.number(), orders: z.array(refSchema) }),
  failed: z.object({ count: z.number(), orders: z.array(refSchema) }),
});

export function parseBatchCancel(raw: unknown): BatchCancelResult {
  const b = parseWith(batchSchema, raw, 'batch cancel result');
  const ref = (r: z.output<typeof refSchema>) => ({ id: r.uuid, market: r.market, identifier: r.identifier ?? null });
  return { cancelled: b.success.orders.map(ref), failed: b.failed.orders.map(ref) };
}
