// The simulator's Hono app: faults, engine step, rate limits (Remaining-Req on every reply), JWT auth,
// then the Quotation and Exchange routes under /v1, and the /__sim control endpoints.
import { Hono, type Context, type Next } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Accounts } from './accounts.ts';
import type { AuthVerifier } from './auth-verify.ts';
import { createControlRoutes, type ControlDeps } from './control-routes.ts';
import type { Engine } from './engine.ts';
import { SimHttpError, exchangeError } from './errors.ts';
import { createExchangeRoutes, type SimEnv } from './exchange-routes.ts';
import type { Faults } from './faults.ts';
import { createQuotationRoutes } from './quotation-routes.ts';
import type { RateGroup, RateLimiter } from './rate-limit.ts';
import type { MarketModel } from './types.ts';

export type SimAppDeps = ControlDeps & {
  engine: Engine;
  accounts: Accounts;
  model: MarketModel;
  auth: AuthVerifier;
  limiter: RateLimiter;
  faults: Faults;
  sleep?: (ms: number) => Promise<void>;
};

const QUOTATION_GROUPS: ReadonlySet<RateGroup> = new Set(['market', 'candle', 'trade', 'ticker', 'orderbook']);

/** The rate-limit group Upbit charges a request to (shared/upbit-api.md §3.1). */
export function groupOf(method: string, path: string): RateGroup {
  const p = path.replace(/^\/v1/, '');
  if (p === '/market/all') return 'market';
  if (p.startsWith('/candles/')) return 'candle';
  if (p === '/trades/ticks') return 'trade';
  if (p === '/ticker' || p === '/ticker/all') return 'ticker';
  if (p === '/orderbook' || p === '/orderbook/instruments') return 'orderbook';
  if (method === 'POST' && (p === '/orders' || p === '/orders/cancel_and_new')) return 'order';
  if (method === 'POST' && p === '/orders/test') return 'order-test';
  if (method === 'DELETE' && p === '/orders/open') return 'order-cancel-all';
  return 'default';
}

/** A response whose body errors at once: the client sees the connection drop (ECONNRESET), never a reply. */
const droppedResponse = (): Response =>
  new Response(new ReadableStream({ pull: (ctl) => ctl.error(undefined) }), { status: 201, headers: { 'content-type': 'application/json' } });

async function readJsonBody(c: Context<SimEnv>): Promise<Record<string, unknown> | null> {
  if (c.req.method !== 'POST') return null;
  const text = await c.req.text();
  if (text.trim() === '') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw Object.assign(exchangeError(400, 'validation_error', 'Request body is not JSON'), { cause });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw exchangeError(400, 'validation_error', 'Request body must be a JSON object');
  return parsed as Record<string, unknown>;
}

function createV1Guard(deps: SimAppDeps) {
  const sleep = deps.sleep ?? ((ms: number) => Bun.sleep(ms));
  return async (c: Context<SimEnv>, next: Next) => {
    const group = groupOf(c.req.method, c.req.path);
    const isPrivate = !QUOTATION_GROUPS.has(group);
    const latency = deps.faults.latencyMs();
    if (latency > 0) await sleep(latency);
    let remainingHeader = deps.limiter.header(group, 0);
    const finalize = (res: Response): Response => {
      res.headers.set('Remaining-Req', remainingHeader);
      return res;
    };
    if (deps.faults.isStorming()) return finalize(c.text('Too many API requests.', 429));
    if (deps.faults.draw5xx()) return finalize(c.json({ error: { name: 'internal_server_error', message: 'Simulated server error' } }, 500));
    deps.engine.step();
    const ip = c.env?.ip ?? '127.0.0.1';
    const authorization = c.req.header('authorization') ?? null;
    const caller = isPrivate ? `account:${deps.auth.claimedAccessKey(authorization) ?? `ip:${ip}`}` : `ip:${ip}`;
    const decision = deps.limiter.check(group, caller);
    remainingHeader = deps.limiter.header(group, decision.remaining);
    if (decision.kind === 'limited') return finalize(c.text('Too many API requests.', 429));
    if (decision.kind === 'blocked') {
      c.header('Retry-After', String(decision.retryAfterSec));
      return finalize(c.json({ error: { name: 'too_many_requests_blocked', message: `Blocked for ${decision.retryAfterSec} seconds.` } }, 418));
    }
    try {
      if (isPrivate) {
        const body = await readJsonBody(c);
        c.set('body', body);
        const rawQuery = c.req.url.includes('?') ? c.req.url.slice(c.req.url.indexOf('?') + 1) : '';
        c.set('accessKey', await deps.auth.verify({ method: c.req.method, rawQuery, body, authorization }));
      }
      await next();
    } catch (err) {
      c.res = onError(err, c);
    }
    const isOrderPost = c.req.method === 'POST' && c.req.path === '/v1/orders';
    if (isOrderPost && c.res.status === 201 && deps.faults.takeOrderDrop()) {
      c.res = undefined;
      c.res = droppedResponse();
      return;
    }
    c.res = finalize(c.res);
  };
}

function onError(err: unknown, c: Context<SimEnv>): Response {
  if (err instanceof SimHttpError) return c.json(err.body(), err.status as ContentfulStatusCode);
  const message = err instanceof Error ? err.message : String(err);
  return c.json({ error: { name: 'internal_server_error', message } }, 500);
}

export function createSimApp(deps: SimAppDeps): Hono<SimEnv> {
  const app = new Hono<SimEnv>();
  app.onError((err, c) => onError(err, c));
  app.use('/v1/*', createV1Guard(deps));
  app.route('/v1', createQuotationRoutes({ model: deps.model, clock: deps.clock }));
  app.route('/v1', createExchangeRoutes(deps));
  app.notFound((c) => c.json({ error: { name: 404, message: 'Not found' } }, 404));
  app.route('/__sim', createControlRoutes(deps));
  return app;
}
