// A hand-written Exchange for tests: seeded balances and prices, instant market fills with the fee, scripted faults, a call log.
import type { Clock } from '../../src/clock.ts';
import type { Balance, Fill, Order, OrderState, Ticker } from '../../src/core/types.ts';
import { FEE_RATE, MIN_ORDER_KRW, floorVolume } from '../../src/core/ticks.ts';
import {
  DuplicateIdentifier,
  InsufficientFunds,
  InvalidOrder,
  MinimumTotal,
  OrderNotFound,
  Timeout,
} from '../../src/exchange/errors.ts';
import type { Exchange, ExchangeHealth, OrderRef, PlaceOrderRequest, PlaceOrderResult } from '../../src/exchange/exchange.ts';

export type FakeMethod = Exclude<keyof Exchange, 'health'>;

/** A failure for the next call of a method. `afterExecute`: the exchange did the work, then the answer was lost. */
export type Fault = { error: Error; afterExecute?: boolean } | { unknown: true; afterExecute: boolean };

/** How the next placed order executes. */
export type OrderScript = {
  /** Share of the order that fills (a market order then ends `cancelled`); 0 = nothing fills. */
  fillRatio?: number;
  /** Number of trades the fill is split into. */
  trades?: number;
  /** Lookups answered `open` with no fills before it executes. */
  openPolls?: number;
};

export type FakeExchangeOptions = {
  clock: Clock;
  /** currency → free balance (KRW included). */
  balances?: Record<string, number>;
  /** market → last price. */
  prices?: Record<string, number>;
  feeRate?: number;
  /** Upbit ends a market buy `cancel` when KRW dust is refunded; set false to end it `done`. */
  marketBuyEndsCancelled?: boolean;
  /** Awaited at the start of every placeOrder, before anything happens (e.g. to snapshot the db). */
  onPlaceOrder?: (req: PlaceOrderRequest) => void | Promise<void>;
};

type Held = { free: number; avgBuyPrice: number };
type FakeOrder = Order & { pendingPolls: number; script: OrderScript; request: PlaceOrderRequest };

export type FakeExchange = Exchange & {
  readonly calls: { method: string; args: unknown[]; at: number }[];
  failNext(method: FakeMethod, fault: Fault): void;
  /** Every call throws `error` until set back to null (the exchange is down). */
  setDown(error: Error | null): void;
  scriptNextOrder(script: OrderScript): void;
  setPrice(market: string, price: number): void;
  setBalance(currency: string, free: number): void;
  balanceOf(currency: string): number;
  /** Orders as the exchange knows them (the "did it get posted twice?" view). */
  orders(): Order[];
  placeCalls(): PlaceOrderRequest[];
};

export function createFakeExchange(opts: FakeExchangeOptions): FakeExchange {
  const feeRate = opts.feeRate ?? FEE_RATE;
  const endsCancelled = opts.marketBuyEndsCancelled ?? true;
  const prices = new Map(Object.entries(opts.prices ?? {}));
  const held = new Map<string, Held>(Object.entries(opts.balances ?? {}).map(([c, free]) => [c, { free, avgBuyPrice: 0 }]));
  const calls: FakeExchange['calls'] = [];
  const faults = new Map<string, Fault[]>();
  const scripts: OrderScript[] = [];
  const book: FakeOrder[] = [];
  let down: Error | null = null;
  let seq = 0;

  const hold = (c: string): Held => held.get(c) ?? (held.set(c, { free: 0, avgBuyPrice: 0 }), held.get(c)!);
  const priceOf = (market: string): number => {
    const p = prices.get(market);
    if (p === undefined) throw new InvalidOrder(`No price for ${market}`);
    return p;
  };

  function enter(method: string, args: unknown[]): Fault | undefined {
    calls.push({ method, args, at: opts.clock.now() });
    if (down) throw down;
    return faults.get(method)?.shift();
  }

  const snapshot = (o: FakeOrder): Order => structuredClone({ ...o, pendingPolls: undefined, script: undefined, request: undefined }) as Order;

  function splitFills(o: FakeOrder, volume: number, price: number): Fill[] {
    const n = Math.max(1, o.script.trades ?? 1);
    const out: Fill[] = [];
    let left = volume;
    for (let i = 0; i < n && left > 0; i++) {
      const v = i === n - 1 ? left : floorVolume(volume / n);
      left = Number((left - v).toFixed(8));
      out.push({ tradeId: `t-${++seq}`, price, volume: v, funds: v * price, time: opts.clock.now(), side: o.side });
    }
    return out;
  }

  function execute(o: FakeOrder): void {
    const price = priceOf(o.market);
    const ratio = o.script.fillRatio ?? 1;
    const base = o.market.split('-')[1]!;
    const krw = hold('KRW');
    const coin = hold(base);
    const volume = o.side === 'buy' ? floorVolume(((o.request.amountKrw ?? 0) * ratio) / price) : floorVolume((o.request.volume ?? 0) * ratio);
    const funds = volume * price;
    const fee = funds * feeRate;
    if (o.side === 'buy') {
      krw.free -= funds + fee;
      coin.avgBuyPrice = coin.free + volume > 0 ? (coin.avgBuyPrice * coin.free + funds) / (coin.free + volume) : 0;
      coin.free += volume;
    } else {
      coin.free = floorVolume(coin.free - volume);
      krw.free += funds - fee;
    }
    o.fills = volume > 0 ? splitFills(o, volume, price) : [];
    o.executedVolume = volume;
    o.tradesCount = o.fills.length;
    o.paidFee = fee;
    const whole = o.side === 'buy' ? !endsCancelled && ratio >= 1 : ratio >= 1;
    o.state = (whole ? 'done' : 'cancelled') as OrderState;
    o.remainingVolume = o.side === 'sell' ? floorVolume((o.request.volume ?? 0) - volume) : 0;
  }

  function validate(req: PlaceOrderRequest): void {
    if (book.some((o) => o.identifier === req.identifier)) throw new DuplicateIdentifier(`Identifier ${req.identifier} was used before`);
    const price = priceOf(req.market);
    if (req.side === 'buy') {
      const amount = req.amountKrw ?? 0;
      if (amount < MIN_ORDER_KRW) throw new MinimumTotal(`Order total ${amount} is under the minimum`);
      if (hold('KRW').free < amount * (1 + feeRate)) throw new InsufficientFunds('Not enough KRW');
    } else {
      const volume = req.volume ?? 0;
      if (hold(req.market.split('-')[1]!).free + 1e-12 < volume) throw new InsufficientFunds(`Not enough ${req.market}`);
      if (volume * price < MIN_ORDER_KRW) throw new MinimumTotal(`Order total ${volume * price} is under the minimum`);
    }
  }

  function create(req: PlaceOrderRequest): FakeOrder {
    validate(req);
    const script = scripts.shift() ?? {};
    const o: FakeOrder = {
      id: `o-${++seq}`, identifier: req.identifier, market: req.market, side: req.side, kind: req.kind, state: 'open',
      price: req.side === 'buy' ? (req.amountKrw ?? null) : null, volume: req.side === 'sell' ? (req.volume ?? null) : null,
      executedVolume: 0, remainingVolume: req.volume ?? 0, paidFee: 0, reservedFee: 0, remainingFee: 0, locked: 0,
      tradesCount: 0, timeInForce: null, createdAt: opts.clock.now(), fills: [], raw: { fake: true, identifier: req.identifier },
      pendingPolls: script.openPolls ?? 0, script, request: req,
    };
    book.push(o);
    if (o.pendingPolls === 0) execute(o);
    return o;
  }

  /** A lookup: an order still "open" by script counts one poll down and executes when it reaches zero. */
  function look(o: FakeOrder): Order {
    if (o.state === 'open' && o.pendingPolls > 0 && --o.pendingPolls === 0) execute(o);
    return snapshot(o);
  }

  const find = (ref: OrderRef) => book.find((o) => ('id' in ref ? o.id === ref.id : o.identifier === ref.identifier));

  return {
    calls,
    failNext: (method, fault) => faults.set(method, [...(faults.get(method) ?? []), fault]),
    setDown: (error) => void (down = error),
    scriptNextOrder: (script) => void scripts.push(script),
    setPrice: (market, price) => void prices.set(market, price),
    setBalance: (currency, free) => void (hold(currency).free = free),
    balanceOf: (currency) => hold(currency).free,
    orders: () => book.map(snapshot),
    placeCalls: () => calls.filter((c) => c.method === 'placeOrder').map((c) => c.args[0] as PlaceOrderRequest),

    async placeOrder(req): Promise<PlaceOrderResult> {
      await opts.onPlaceOrder?.(req);
      const fault = enter('placeOrder', [req]);
      if (fault?.afterExecute) create(req);
      if (fault && 'error' in fault) throw fault.error;
      if (fault) return { status: 'unknown', identifier: req.identifier, cause: new Timeout('Response lost (fake)') };
      const o = create(req);
      // Like Upbit's POST answer: the order as accepted, without its trades yet.
      return { status: 'accepted', order: { ...snapshot(o), state: 'open', fills: [], executedVolume: 0, tradesCount: 0 } };
    },
    async fetchOrder(ref) {
      const fault = enter('fetchOrder', [ref]);
      if (fault && 'error' in fault) throw fault.error;
      const o = find(ref);
      if (!o) throw new OrderNotFound(`No order ${JSON.stringify(ref)}`);
      return look(o);
    },
    async findOrderByIdentifier(identifier) {
      const fault = enter('findOrderByIdentifier', [identifier]);
      if (fault && 'error' in fault) throw fault.error;
      const o = find({ identifier });
      return o ? look(o) : null;
    },
    async cancelOrder(ref) {
      enter('cancelOrder', [ref]);
      const o = find(ref);
      if (!o) throw new OrderNotFound(`No order ${JSON.stringify(ref)}`);
      if (o.state === 'open') o.state = 'cancelled';
      return snapshot(o);
    },
    async fetchOpenOrders(market) {
      enter('fetchOpenOrders', [market]);
      return book.filter((o) => o.state === 'open' && (!market || o.market === market)).map(snapshot);
    },
    async fetchBalances(): Promise<Balance[]> {
      const fault = enter('fetchBalances', []);
      if (fault && 'error' in fault) throw fault.error;
      return [...held].filter(([, h]) => h.free > 0).map(([currency, h]) => ({ currency, free: h.free, locked: 0, avgBuyPrice: h.avgBuyPrice }));
    },
    async fetchTickers(markets): Promise<Ticker[]> {
      const fault = enter('fetchTickers', [markets]);
      if (fault && 'error' in fault) throw fault.error;
      return markets.filter((m) => prices.has(m)).map((m) => ({
        market: m, price: prices.get(m)!, prevClose: prices.get(m)!, changeRate: 0, turnover24hKrw: 0, volume24h: 0, tradeTime: opts.clock.now(),
      }));
    },
    async listMarkets() {
      enter('listMarkets', []);
      return [...prices.keys()].map((market) => ({ market, koreanName: market, englishName: market, isWarning: false, cautions: [] }));
    },
    async fetchCandles(query) {
      enter('fetchCandles', [query]);
      return [];
    },
    async fetchOrderbooks(markets) {
      enter('fetchOrderbooks', [markets]);
      return markets.map((m) => ({ market: m, time: opts.clock.now(), levels: [{ askPrice: priceOf(m), askSize: 1e9, bidPrice: priceOf(m), bidSize: 1e9 }] }));
    },
    async fetchOrderChance(market) {
      enter('fetchOrderChance', [market]);
      return { market, bidFeeRate: feeRate, askFeeRate: feeRate, minTotalKrw: MIN_ORDER_KRW, maxTotalKrw: 1e9, state: 'active' };
    },
    health: (): ExchangeHealth => ({ isDegraded: down !== null, reason: down?.message ?? null, consecutiveFailures: 0, retryAt: null }),
  };
}
