// Simulated orders and fills, and their Upbit wire forms: REST Order objects (amounts as strings) and
// WebSocket myOrder payloads (DEFAULT keys, numbers). See shared/upbit-api.md §5 and §8.3.
import { amount, kstIso, kstIsoMicros } from './format.ts';
import type { UpbitSide } from './matching.ts';
import type { OrderSpec } from './order-request.ts';

export type OrderState = 'wait' | 'done' | 'cancel';

export type SimFill = {
  uuid: string;
  orderUuid: string;
  accessKey: string;
  market: string;
  side: UpbitSide;
  price: number;
  volume: number;
  /** price × volume, before fees. */
  funds: number;
  fee: number;
  /** "up" = buy-initiated trade, "down" = sell-initiated. */
  trend: 'up' | 'down';
  isMaker: boolean;
  /** Simulated epoch ms and a unique microsecond stamp for created_at. */
  time: number;
  micros: number;
};

export type SimOrder = OrderSpec & {
  uuid: string;
  accessKey: string;
  state: OrderState;
  createdAt: number;
  executedVolume: number;
  executedFunds: number;
  reservedFee: number;
  paidFee: number;
  /** Amount still held by the order: KRW incl. fee for a bid, base volume for an ask. */
  locked: number;
  trades: SimFill[];
  cancelRequested: boolean;
};

export const remainingVolume = (o: SimOrder): number | null =>
  o.volume === null ? null : Math.max(0, Number((o.volume - o.executedVolume).toFixed(8)));
export const remainingFee = (o: SimOrder): number => Math.max(0, o.reservedFee - o.paidFee);
const avgPrice = (o: SimOrder): number => (o.executedVolume > 0 ? o.executedFunds / o.executedVolume : 0);
const str = (v: number | null): string | null => (v === null ? null : amount(v));

/** The REST Order object; `trades` only for GET /v1/order. */
export function toUpbitOrder(o: SimOrder, withTrades = false): Record<string, unknown> {
  const out: Record<string, unknown> = {
    uuid: o.uuid,
    side: o.side,
    ord_type: o.ordType,
    price: str(o.price),
    state: o.state,
    market: o.market,
    created_at: kstIso(o.createdAt),
    volume: str(o.volume),
    remaining_volume: str(remainingVolume(o)),
    reserved_fee: amount(o.reservedFee),
    remaining_fee: amount(remainingFee(o)),
    paid_fee: amount(o.paidFee),
    locked: amount(o.locked),
    executed_volume: amount(o.executedVolume),
    executed_funds: amount(o.executedFunds),
    prevented_volume: '0',
    prevented_locked: '0',
    trades_count: o.trades.length,
  };
  if (o.timeInForce !== null) out.time_in_force = o.timeInForce;
  if (o.smpType !== null) out.smp_type = o.smpType;
  if (o.identifier !== null) out.identifier = o.identifier;
  if (withTrades) out.trades = o.trades.map(toUpbitTrade);
  return out;
}

export const toUpbitTrade = (f: SimFill): Record<string, unknown> => ({
  market: f.market,
  uuid: f.uuid,
  price: amount(f.price),
  volume: amount(f.volume),
  funds: amount(f.funds),
  trend: f.trend,
  created_at: kstIsoMicros(f.micros),
  side: f.side,
});

/** myOrder event, DEFAULT format; `state` is "trade" for a fill event. */
export function toMyOrder(o: SimOrder, now: number, fill: SimFill | null): Record<string, unknown> {
  return {
    type: 'myOrder',
    code: o.market,
    uuid: o.uuid,
    ask_bid: o.side.toUpperCase(),
    order_type: o.ordType,
    state: fill ? 'trade' : o.state,
    trade_uuid: fill?.uuid ?? null,
    price: fill ? fill.price : o.price,
    avg_price: avgPrice(o),
    volume: fill ? fill.volume : o.volume,
    remaining_volume: remainingVolume(o),
    executed_volume: o.executedVolume,
    trades_count: o.trades.length,
    reserved_fee: o.reservedFee,
    remaining_fee: remainingFee(o),
    paid_fee: o.paidFee,
    locked: o.locked,
    executed_funds: o.executedFunds,
    time_in_force: o.timeInForce,
    trade_fee: fill ? fill.fee : null,
    is_maker: fill ? fill.isMaker : null,
    identifier: o.identifier,
    smp_type: o.smpType,
    prevented_volume: 0,
    prevented_locked: 0,
    trade_timestamp: fill ? fill.time : null,
    order_timestamp: o.createdAt,
    timestamp: now,
    stream_type: 'REALTIME',
  };
}

/** myAsset event, DEFAULT format. */
export function toMyAsset(assetUuid: string, assets: Array<{ currency: string; balance: number; locked: number }>, now: number): Record<string, unknown> {
  return { type: 'myAsset', asset_uuid: assetUuid, assets, asset_timestamp: now, timestamp: now, stream_type: 'REALTIME' };
}
