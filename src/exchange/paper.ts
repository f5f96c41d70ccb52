// PaperExchange: the Exchange port with real quotes, simulated fills on the live order book and fake KRW kept in the db.
// Orders (paper_orders, fills included) and balances (paper_balances) are written together in one db batch, so a
// restart finds both as they were: fetchOrder/findOrderByIdentifier/cancelOrder work for orders of earlier processes,
// and an identifier this db never saw is absent (null). 'best' orders are refused; a quotes failure while placing
// an order propagates as the quotes source's error (nothing was placed).
import type { Clock } from '../clock.ts';
import type { MarketCode, Order, Orderbook } from '../core/types.ts';
import { MAX_ORDER_KRW, MIN_ORDER_KRW, FEE_RATE } from '../core/ticks.ts';
import type { Db } from '../db/client.ts';
import { createPaperBalancesRepo } from '../db/repos/paper-balances.ts';
import { createPaperOrdersRepo } from '../db/repos/paper-orders.ts';
import { DuplicateIdentifier, InsufficientFunds, InvalidOrder, OrderNotFound } from './errors.ts';
import type { Exchange, OrderRef, PlaceOrderRequest, PlaceOrderResult } from './exchange.ts';
import { createLedger, type Ledger } from './paper-ledger.ts';
import { crossLimit, filledVolume, walkAsksForKrw, walkBidsForVolume } from './paper-book.ts';
import { applyFill, baseCurrency, fillResting, finish, reserveFor, uuidFrom, type FillContext } from './paper-order.ts';
import { checkTotal, toPaperOrder } from './paper-request.ts';

export type PaperExchangeDeps = {
  /** The real market-data source; only listMarkets, fetchTickers, fetchCandles, fetchOrderbooks and health are used. */
  quotes: Exchange;
  db: Db;
  clock: Clock;
  /** Uniform [0, 1); order and trade ids are drawn from it, so it must not repeat across restarts. */
  random: () => number;
  /** KRW of the first start (an empty paper_balances table); ignored afterwards. */
  startKrw: number;
  feeRate?: number;
};

export type PaperExchange = Exchange & {
  /** Fills the resting limit orders of `market` that `price` reaches; the bot calls it on price updates. */
  onPrice(market: MarketCode, price: number): Promise<Order[]>;
};

export function createPaperExchange(deps: PaperExchangeDeps): PaperExchange {
  const { quotes, db, clock } = deps;
  const feeRate = deps.feeRate ?? FEE_RATE;
  const balancesRepo = createPaperBalancesRepo(db);
  const ordersRepo = createPaperOrdersRepo(db);
  let ledger: Ledger | null = null;
  let tail: Promise<unknown> = Promise.resolve();

  /** One state change at a time: each reads the ledger, changes a fork and commits it before the next starts. */
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn);
    tail = run.catch(() => undefined);
    return run;
  };

  const load = async (): Promise<Ledger> => {
    if (ledger) return ledger;
    await balancesRepo.seedIfEmpty(deps.startKrw, clock.now());
    return (ledger = createLedger(await balancesRepo.loadAll()));
  };

  const context = async (): Promise<FillContext> => ({
    ledger: (await load()).fork(),
    feeRate,
    now: clock.now(),
    newId: () => uuidFrom(deps.random),
  });

  /** Writes the changed balances and orders atomically; only then does the fork become the ledger. */
  const commit = async (ctx: FillContext, changed: Order[]): Promise<void> => {
    const items = [...ctx.ledger.touched().map((b) => balancesRepo.upsert(b, ctx.now)), ...changed.map((o) => ordersRepo.upsert(o, ctx.now))];
    const [head, ...rest] = items;
    if (head) await db.batch([head, ...rest]);
    ledger = ctx.ledger;
  };

  const bookOf = async (request: PlaceOrderRequest): Promise<Orderbook> => {
    const book = (await quotes.fetchOrderbooks([request.market])).find((b) => b.market === request.market);
    if (!book || book.levels.length === 0) throw new InvalidOrder(`Could not place the paper order on ${request.market}: no order book for that market`);
    return book;
  };

  const noDepth = (request: PlaceOrderRequest): InvalidOrder =>
    new InvalidOrder(`Could not place the paper market ${request.side} on ${request.market}: the first 30 order-book levels cannot absorb it`);

  const shortFunds = (request: PlaceOrderRequest, order: Order, cause: unknown): InsufficientFunds =>
    new InsufficientFunds(
      `Could not place the paper ${request.kind} ${request.side} on ${request.market}: it needs ${order.locked} ${order.side === 'buy' ? 'KRW incl. the fee' : baseCurrency(order)} and ${(cause as Error).message}`,
      { cause },
    );

  const execute = (request: PlaceOrderRequest, order: Order, book: Orderbook, ctx: FillContext): void => {
    if (order.kind === 'market' && order.side === 'buy') {
      const walk = walkAsksForKrw(book.levels, order.price!);
      if (!walk) throw noDepth(request);
      for (const fill of walk.fills) applyFill(order, fill, ctx);
      return finish(order, ctx, walk.dustKrw > 0 ? 'cancelled' : 'done');
    }
    if (order.kind === 'market') {
      const fills = walkBidsForVolume(book.levels, order.volume!);
      if (!fills) throw noDepth(request);
      checkTotal(request, fills.reduce((s, f) => s + f.funds, 0));
      for (const fill of fills) applyFill(order, fill, ctx);
      return finish(order, ctx, 'done');
    }
    executeLimit(order, book, ctx);
  };

  const executeLimit = (order: Order, book: Orderbook, ctx: FillContext): void => {
    const fills = crossLimit(book.levels, order.side, order.price!, order.volume!);
    const tif = order.timeInForce;
    // post_only must not take liquidity and fok must fill completely: otherwise Upbit cancels them unfilled.
    if ((tif === 'post_only' && fills.length > 0) || (tif === 'fok' && filledVolume(fills) < order.volume!)) return finish(order, ctx, 'cancelled');
    for (const fill of fills) applyFill(order, fill, ctx);
    if (order.remainingVolume <= 0) return finish(order, ctx, 'done');
    if (tif === 'ioc' || tif === 'fok') return finish(order, ctx, 'cancelled');
  };

  const place = async (request: PlaceOrderRequest): Promise<PlaceOrderResult> => {
    const ctx = await context();
    const order = toPaperOrder(request, { id: ctx.newId(), now: ctx.now, feeRate });
    if (await ordersRepo.findByIdentifier(request.identifier)) {
      throw new DuplicateIdentifier(`Could not place the paper order: identifier "${request.identifier}" was already used`);
    }
    const book = await bookOf(request);
    try {
      reserveFor(order, ctx.ledger);
    } catch (cause) {
      throw cause instanceof InsufficientFunds ? shortFunds(request, order, cause) : cause;
    }
    execute(request, order, book, ctx);
    try {
      await commit(ctx, [order]);
    } catch (cause) {
      // The batch is atomic: nothing was written, so a later findOrderByIdentifier proves the order absent.
      return { status: 'unknown', identifier: request.identifier, cause };
    }
    return { status: 'accepted', order };
  };

  const find = (ref: OrderRef): Promise<Order | null> =>
    'id' in ref ? ordersRepo.findById(ref.id) : ordersRepo.findByIdentifier(ref.identifier);

  const fillAt = (market: MarketCode, price: number): Promise<Order[]> =>
    exclusive(async () => {
      const open = await ordersRepo.listOpen(market);
      if (open.length === 0) return [];
      const ctx = await context();
      const filled = fillResting(open, price, ctx);
      if (filled.length > 0) await commit(ctx, filled);
      return filled;
    });

  /** Best-effort price check of resting orders on reads; a quote failure leaves them as stored (the next check catches up). */
  const refresh = async (markets: MarketCode[]): Promise<void> => {
    const unique = [...new Set(markets)];
    if (unique.length === 0) return;
    const tickers = await quotes.fetchTickers(unique).catch(() => []);
    for (const t of tickers) await fillAt(t.market, t.price);
  };

  const ref = (r: OrderRef): string => ('id' in r ? `id ${r.id}` : `identifier ${r.identifier}`);

  return {
    listMarkets: () => quotes.listMarkets(),
    fetchTickers: (markets) => quotes.fetchTickers(markets),
    fetchCandles: (query) => quotes.fetchCandles(query),
    fetchOrderbooks: (markets) => quotes.fetchOrderbooks(markets),
    fetchBalances: () => exclusive(async () => (await load()).list()),
    fetchOrderChance: async (market) => ({ market, bidFeeRate: feeRate, askFeeRate: feeRate, minTotalKrw: MIN_ORDER_KRW, maxTotalKrw: MAX_ORDER_KRW, state: 'active' }),
    placeOrder: (request) => exclusive(() => place(request)),
    async fetchOrder(r) {
      const stored = await find(r);
      if (!stored) throw new OrderNotFound(`Could not find the paper order with ${ref(r)}`);
      if (stored.state !== 'open') return stored;
      await refresh([stored.market]);
      return (await find(r)) ?? stored;
    },
    findOrderByIdentifier: (identifier) => ordersRepo.findByIdentifier(identifier),
    cancelOrder: (r) =>
      exclusive(async () => {
        const order = await find(r);
        if (!order) throw new OrderNotFound(`Could not cancel the paper order with ${ref(r)}: no such order`);
        if (order.state !== 'open') throw new InvalidOrder(`Could not cancel the paper order with ${ref(r)}: it is already ${order.state}`);
        const ctx = await context();
        finish(order, ctx, 'cancelled');
        await commit(ctx, [order]);
        return order;
      }),
    async fetchOpenOrders(market) {
      await refresh((await ordersRepo.listOpen(market)).map((o) => o.market));
      return ordersRepo.listOpen(market);
    },
    health: () => quotes.health(),
    onPrice: fillAt,
  };
}
