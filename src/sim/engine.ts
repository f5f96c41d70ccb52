// The simulated exchange: validates and places orders, fills resting limits along the market's price path,
// completes cancels asynchronously (next step), and answers order lookups. Validation order: shared/upbit-api.md §10.6.
import { FEE_RATE, isOnTickGrid, MAX_ORDER_KRW, MIN_ORDER_KRW } from '../core/ticks.ts';
import type { Accounts } from './accounts.ts';
import { exchangeError } from './errors.ts';
import { applyFill, createLedger, currenciesOf, emitAssets, executeTaker, finish, type Ledger, type PrivateEmit } from './execution.ts';
import { depth, firstCrossing, opposite } from './matching.ts';
import { marketOf, parseOrderSpec, type OrderSpec } from './order-request.ts';
import { remainingVolume, toMyOrder, type SimFill, type SimOrder } from './orders.ts';
import type { Prng } from './prng.ts';
import type { MarketModel } from './types.ts';

export type EngineDeps = {
  model: MarketModel;
  /** Simulated time. */
  clock: { now(): number };
  accounts: Accounts;
  prng: Prng;
  feeRate?: number;
  /** Visible book depth walked by market orders (Upbit: 30). */
  bookDepth?: number;
  /** Receives myOrder/myAsset payloads (DEFAULT keys) for the account's private sockets. */
  emit?: PrivateEmit;
};

export type OrderRef = { uuid?: string | null; identifier?: string | null };

export type Engine = {
  /** POST /v1/orders (or /orders/test with isTest: validated, nothing created). Throws SimHttpError. */
  placeOrder(accessKey: string, body: Record<string, unknown>, isTest?: boolean): SimOrder;
  /** GET /v1/order; 404 order_not_found. */
  getOrder(accessKey: string, ref: OrderRef): SimOrder;
  /** DELETE /v1/order: marks the order; it turns `cancel` at the next step. Returns the order as it is now. */
  requestCancel(accessKey: string, ref: OrderRef): SimOrder;
  ordersOf(accessKey: string): SimOrder[];
  allOrders(): SimOrder[];
  fills(): SimFill[];
  /** Completes pending cancels, then fills resting limits crossed by trades up to now. */
  step(): void;
  feeRate: number;
};

/** Thrown when a market order would sweep past the visible 30 levels. Name UNCONFIRMED upstream (§5.3). */
const DEPTH_ERROR = 'market_order_over_orderbook';

export function createEngine(deps: EngineDeps): Engine {
  const ledger: Ledger = createLedger({ accounts: deps.accounts, prng: deps.prng, feeRate: deps.feeRate ?? FEE_RATE, emit: deps.emit });
  const bookDepth = deps.bookDepth ?? 30;
  const orders: SimOrder[] = [];
  const byUuid = new Map<string, SimOrder>();
  const identifiers = new Map<string, Set<string>>();
  /** Whole milliseconds: an accelerated clock has fractions, Upbit timestamps do not. */
  const nowMs = (): number => Math.floor(deps.clock.now());
  let lastStepAt = nowMs();

  const usedIdentifiers = (accessKey: string): Set<string> => {
    let s = identifiers.get(accessKey);
    if (!s) identifiers.set(accessKey, (s = new Set()));
    return s;
  };

  function validate(accessKey: string, body: Record<string, unknown>, isTest: boolean): OrderSpec {
    const market = marketOf(body);
    if (!deps.model.hasMarket(market)) throw exchangeError(400, 'notfoundmarket', `다음 마켓에 없는 종목입니다: ${market}`);
    const spec = parseOrderSpec(body);
    if (spec.identifier !== null) {
      const used = usedIdentifiers(accessKey);
      if (used.has(spec.identifier)) throw exchangeError(400, 'duplicated_identifier', `Identifier already used: ${spec.identifier}`);
      // Upbit never lets an identifier be reused, even when the order is then rejected.
      if (!isTest) used.add(spec.identifier);
    }
    const sfx = spec.side;
    if (spec.ordType === 'limit' && !isOnTickGrid(spec.price ?? 0)) {
      throw exchangeError(400, `invalid_price_${sfx}`, `Price is not on the tick grid: ${spec.price}`);
    }
    const levels = deps.model.orderbook(spec.market, nowMs(), bookDepth);
    const notional = notionalOf(spec, levels[0]?.bidPrice ?? deps.model.lastPrice(spec.market, nowMs()));
    if (notional < MIN_ORDER_KRW - 1e-9) throw exchangeError(400, `under_min_total_${sfx}`, `최소주문금액 이상으로 주문해주세요 (${MIN_ORDER_KRW} KRW)`);
    if (spec.side === 'bid' && notional > MAX_ORDER_KRW) throw exchangeError(400, 'over_krw_funds_bid', `최대주문금액 이하로 주문해주세요 (${MAX_ORDER_KRW} KRW)`);
    const { quote, base } = currenciesOf(spec.market);
    deps.accounts.ensure(accessKey);
    if (spec.side === 'bid' && deps.accounts.get(accessKey, quote).balance < notional * (1 + ledger.feeRate) - 1e-9) {
      throw exchangeError(400, 'insufficient_funds_bid', `주문가능한 금액(${quote})이 부족합니다.`);
    }
    if (spec.side === 'ask' && deps.accounts.get(accessKey, base).balance < (spec.volume ?? 0) - 1e-12) {
      throw exchangeError(400, 'insufficient_funds_ask', `주문가능한 금액(${base})이 부족합니다.`);
    }
    if (spec.ordType === 'price' || spec.ordType === 'market') {
      const want = spec.ordType === 'price' ? (spec.price ?? 0) : (spec.volume ?? 0);
      if (want > depth(opposite(levels, spec.side), spec.side) + 1e-9) {
        throw exchangeError(400, DEPTH_ERROR, 'Market order exceeds the visible orderbook (30 levels)');
      }
    }
    return spec;
  }

  function newOrder(accessKey: string, spec: OrderSpec, now: number): SimOrder {
    const limitNotional = spec.price !== null && spec.volume !== null ? spec.price * spec.volume : null;
    const reservedFee =
      spec.side === 'bid' ? (limitNotional ?? spec.price ?? 0) * ledger.feeRate : limitNotional === null ? 0 : limitNotional * ledger.feeRate;
    const locked = spec.side === 'bid' ? (limitNotional ?? spec.price ?? 0) + reservedFee : (spec.volume ?? 0);
    return { ...spec, uuid: deps.prng.uuid(), accessKey, state: 'wait', createdAt: now, executedVolume: 0, executedFunds: 0, reservedFee, paidFee: 0, locked, trades: [], cancelRequested: false };
  }

  function placeOrder(accessKey: string, body: Record<string, unknown>, isTest = false): SimOrder {
    const spec = validate(accessKey, body, isTest);
    const now = nowMs();
    const order = newOrder(accessKey, spec, now);
    if (isTest) return order;
    const { quote, base } = currenciesOf(spec.market);
    deps.accounts.lock(accessKey, spec.side === 'bid' ? quote : base, order.locked);
    orders.push(order);
    byUuid.set(order.uuid, order);
    ledger.emit(accessKey, toMyOrder(order, now, null));
    emitAssets(ledger, order, now);
    executeTaker(ledger, order, deps.model.orderbook(spec.market, now, bookDepth), now);
    return order;
  }

  function getOrder(accessKey: string, ref: OrderRef): SimOrder {
    let found: SimOrder | undefined;
    if (ref.uuid) found = byUuid.get(ref.uuid);
    else if (ref.identifier) found = orders.find((o) => o.accessKey === accessKey && o.identifier === ref.identifier);
    else throw exchangeError(400, 'validation_error', 'uuid or identifier is required');
    if (!found || found.accessKey !== accessKey) throw exchangeError(404, 'order_not_found', '주문을 찾지 못했습니다.');
    return found;
  }

  function requestCancel(accessKey: string, ref: OrderRef): SimOrder {
    const o = getOrder(accessKey, ref);
    if (o.state !== 'wait') throw exchangeError(404, 'order_not_found', '주문을 찾지 못했습니다.');
    o.cancelRequested = true;
    return o;
  }

  function fillResting(now: number): void {
    const open = orders.filter((o) => o.state === 'wait');
    const markets = [...new Set(open.map((o) => o.market))];
    for (const market of markets) {
      const trades = deps.model.trades(market, lastStepAt, now);
      for (const o of open.filter((x) => x.market === market)) {
        const hit = firstCrossing(trades.filter((t) => t.time > o.createdAt), o.side, o.price ?? 0);
        const last = trades.length === 0 ? deps.model.lastPrice(market, now) : null;
        // Without trades in the window, only a last price strictly through the limit fills it.
        const lastCrosses = last !== null && (o.side === 'bid' ? last < (o.price ?? 0) : last > (o.price ?? Infinity));
        if (!hit && !lastCrosses) continue;
        const time = hit ? hit.time : now;
        applyFill(ledger, o, o.price ?? 0, remainingVolume(o) ?? 0, true, time);
        finish(ledger, o, 'done', time);
      }
    }
  }

  function step(): void {
    const now = nowMs();
    for (const o of orders) if (o.state === 'wait' && o.cancelRequested) finish(ledger, o, 'cancel', now);
    if (now > lastStepAt) fillResting(now);
    lastStepAt = Math.max(lastStepAt, now);
  }

  return {
    placeOrder,
    getOrder,
    requestCancel,
    ordersOf: (accessKey) => orders.filter((o) => o.accessKey === accessKey),
    allOrders: () => [...orders],
    fills: () => [...ledger.fills],
    step,
    feeRate: ledger.feeRate,
  };
}

function notionalOf(spec: OrderSpec, bestBid: number): number {
  if (spec.ordType === 'limit') return (spec.price ?? 0) * (spec.volume ?? 0);
  if (spec.side === 'bid') return spec.price ?? 0;
  return (spec.volume ?? 0) * bestBid;
}
