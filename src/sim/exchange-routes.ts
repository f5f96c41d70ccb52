// Private Upbit endpoints (accounts, chance, orders, cancels) over the engine. Authentication and rate
// limiting happen before these handlers (app.ts); amounts leave as decimal strings (shared/upbit-api.md §5).
import { Hono, type Context } from 'hono';
import { MAX_ORDER_KRW, MIN_ORDER_KRW } from '../core/ticks.ts';
import type { Accounts, SimBalance } from './accounts.ts';
import type { Engine } from './engine.ts';
import { exchangeError } from './errors.ts';
import { amount } from './format.ts';
import { selectByIds, selectCancelAll, selectClosed, selectOpen, type Query } from './order-queries.ts';
import { toUpbitOrder, type SimOrder } from './orders.ts';
import type { MarketModel } from './types.ts';

export type SimEnv = {
  Bindings: { ip?: string };
  Variables: { accessKey: string; body: Record<string, unknown> | null };
};

export type ExchangeDeps = { engine: Engine; accounts: Accounts; model: MarketModel; clock: { now(): number } };

const queryOf = (c: Context<SimEnv>): Query => ({ get: (k) => c.req.query(k), all: (k) => c.req.queries(k) ?? [] });

const toAccountJson = (b: SimBalance) => ({
  currency: b.currency,
  balance: amount(b.balance),
  locked: amount(b.locked),
  avg_buy_price: amount(b.avgBuyPrice),
  avg_buy_price_modified: false,
  unit_currency: 'KRW',
});

function batchResult(cancelled: SimOrder[]) {
  return {
    success: { count: cancelled.length, orders: cancelled.map((o) => ({ uuid: o.uuid, market: o.market, identifier: o.identifier })) },
    failed: { count: 0, orders: [] },
  };
}

function chance(deps: ExchangeDeps, accessKey: string, market: string | undefined) {
  if (!market) throw exchangeError(400, 'validation_error', 'market is required');
  if (!deps.model.hasMarket(market)) throw exchangeError(400, 'notfoundmarket', `다음 마켓에 없는 종목입니다: ${market}`);
  const [quote = 'KRW', base = ''] = market.split('-');
  const fee = amount(deps.engine.feeRate);
  return {
    bid_fee: fee,
    ask_fee: fee,
    maker_bid_fee: fee,
    maker_ask_fee: fee,
    market: {
      id: market,
      name: `${base}/${quote}`,
      order_types: ['limit'],
      order_sides: ['ask', 'bid'],
      bid_types: ['best_fok', 'best_ioc', 'limit', 'limit_fok', 'limit_ioc', 'price'],
      ask_types: ['best_fok', 'best_ioc', 'limit', 'limit_fok', 'limit_ioc', 'market'],
      bid: { currency: quote, min_total: String(MIN_ORDER_KRW) },
      ask: { currency: base, min_total: String(MIN_ORDER_KRW) },
      max_total: String(MAX_ORDER_KRW),
      state: 'active',
    },
    bid_account: toAccountJson(deps.accounts.get(accessKey, quote)),
    ask_account: toAccountJson(deps.accounts.get(accessKey, base)),
  };
}

export function createExchangeRoutes(deps: ExchangeDeps): Hono<SimEnv> {
  const app = new Hono<SimEnv>();
  const { engine } = deps;
  const ref = (c: Context<SimEnv>) => ({ uuid: c.req.query('uuid') ?? null, identifier: c.req.query('identifier') ?? null });

  app.get('/accounts', (c) => {
    deps.accounts.ensure(c.var.accessKey);
    return c.json(deps.accounts.list(c.var.accessKey).map(toAccountJson));
  });
  app.get('/orders/chance', (c) => c.json(chance(deps, c.var.accessKey, c.req.query('market'))));
  app.post('/orders', (c) => c.json(toUpbitOrder(engine.placeOrder(c.var.accessKey, c.var.body ?? {})), 201));
  app.post('/orders/test', (c) => c.json(toUpbitOrder(engine.placeOrder(c.var.accessKey, c.var.body ?? {}, true)), 201));
  app.get('/order', (c) => c.json(toUpbitOrder(engine.getOrder(c.var.accessKey, ref(c)), true)));
  app.delete('/order', (c) => c.json(toUpbitOrder(engine.requestCancel(c.var.accessKey, ref(c)))));
  app.get('/orders/open', (c) => c.json(selectOpen(queryOf(c), engine.ordersOf(c.var.accessKey)).map((o) => toUpbitOrder(o))));
  app.get('/orders/closed', (c) =>
    c.json(selectClosed(queryOf(c), engine.ordersOf(c.var.accessKey), deps.clock.now()).map((o) => toUpbitOrder(o))),
  );
  app.get('/orders/uuids', (c) => c.json(selectByIds(queryOf(c), engine.ordersOf(c.var.accessKey), 100).map((o) => toUpbitOrder(o))));
  app.delete('/orders/uuids', (c) => {
    const hit = selectByIds(queryOf(c), engine.ordersOf(c.var.accessKey), 20).filter((o) => o.state === 'wait');
    return c.json(batchResult(hit.map((o) => engine.requestCancel(c.var.accessKey, { uuid: o.uuid }))));
  });
  app.delete('/orders/open', (c) => {
    const hit = selectCancelAll(queryOf(c), engine.ordersOf(c.var.accessKey));
    return c.json(batchResult(hit.map((o) => engine.requestCancel(c.var.accessKey, { uuid: o.uuid }))));
  });
  return app;
}
