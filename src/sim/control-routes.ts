// Simulator-only control endpoints: POST /__sim/faults, GET /__sim/state, POST /__sim/clock.
import { Hono, type Context } from 'hono';
import type { Accounts } from './accounts.ts';
import type { SimClock } from './clock.ts';
import type { Engine } from './engine.ts';
import { FaultInputError, type Faults, type FaultSettings, type FaultState } from './faults.ts';
import { parseTimeParam } from './format.ts';
import { remainingFee, remainingVolume } from './orders.ts';
import type { RateLimiter } from './rate-limit.ts';

export type ControlDeps = {
  clock: SimClock;
  engine: Engine;
  accounts: Accounts;
  limiter: RateLimiter;
  faults: Faults;
  /** Closes every WebSocket (the dropWebSockets fault); absent when no hub is attached. */
  dropWebSockets?: () => void;
  /** Called after a clock move so the WebSocket side catches up at once. */
  afterClockMove?: (now: number) => void;
};

/** GET /__sim/state. Numbers, not Upbit strings: this endpoint is ours. */
export type SimState = {
  now: number;
  nowIso: string;
  speed: number;
  balances: Record<string, Array<{ currency: string; balance: number; locked: number; avgBuyPrice: number }>>;
  orders: Array<{
    uuid: string; accessKey: string; identifier: string | null; market: string; side: string; ordType: string;
    state: string; price: number | null; volume: number | null; remainingVolume: number | null; executedVolume: number;
    executedFunds: number; reservedFee: number; remainingFee: number; paidFee: number; locked: number; tradesCount: number;
    createdAt: number; cancelRequested: boolean;
  }>;
  fills: Array<{ uuid: string; orderUuid: string; accessKey: string; market: string; side: string; price: number; volume: number; funds: number; fee: number; isMaker: boolean; time: number }>;
  requests: Record<string, number>;
  rateLimited: { '429': number; '418': number };
  faults: FaultState;
};

export function buildSimState(deps: ControlDeps): SimState {
  const now = Math.floor(deps.clock.now());
  const stats = deps.limiter.stats();
  return {
    now,
    nowIso: new Date(now).toISOString(),
    speed: deps.clock.speed,
    balances: Object.fromEntries(deps.accounts.accessKeys().map((k) => [k, deps.accounts.list(k)])),
    orders: deps.engine.allOrders().map((o) => ({
      uuid: o.uuid, accessKey: o.accessKey, identifier: o.identifier, market: o.market, side: o.side, ordType: o.ordType,
      state: o.state, price: o.price, volume: o.volume, remainingVolume: remainingVolume(o), executedVolume: o.executedVolume,
      executedFunds: o.executedFunds, reservedFee: o.reservedFee, remainingFee: remainingFee(o), paidFee: o.paidFee, locked: o.locked,
      tradesCount: o.trades.length, createdAt: o.createdAt, cancelRequested: o.cancelRequested,
    })),
    fills: deps.engine.fills().map((f) => ({
      uuid: f.uuid, orderUuid: f.orderUuid, accessKey: f.accessKey, market: f.market, side: f.side, price: f.price,
      volume: f.volume, funds: f.funds, fee: f.fee, isMaker: f.isMaker, time: f.time,
    })),
    requests: stats.requests,
    rateLimited: { '429': stats.limited, '418': stats.blocked },
    faults: deps.faults.state(),
  };
}

const bad = (c: Context, message: string) => c.json({ error: { name: 'invalid_control_request', message } }, 400);

async function jsonObject(c: Context): Promise<Record<string, unknown> | null> {
  try {
    const v: unknown = await c.req.json();
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function moveClock(clock: SimClock, body: Record<string, unknown>): string | null {
  const { advanceMs, setTo, speed } = body;
  if (advanceMs !== undefined) {
    if (typeof advanceMs !== 'number' || !Number.isFinite(advanceMs) || advanceMs < 0) return 'advanceMs must be a number ≥ 0';
    clock.advance(advanceMs);
  }
  if (setTo !== undefined) {
    const at = typeof setTo === 'number' ? setTo : typeof setTo === 'string' ? parseTimeParam(setTo) : null;
    if (at === null || !Number.isFinite(at)) return 'setTo must be epoch ms or an ISO time';
    clock.set(at);
  }
  if (speed !== undefined) {
    if (typeof speed !== 'number' || !Number.isFinite(speed) || speed < 0) return 'speed must be a number ≥ 0';
    clock.setSpeed(speed);
  }
  return null;
}

export function createControlRoutes(deps: ControlDeps): Hono {
  const app = new Hono();
  app.get('/state', (c) => c.json(buildSimState(deps)));
  app.post('/faults', async (c) => {
    const body = await jsonObject(c);
    if (!body) return bad(c, 'Body must be a JSON object');
    try {
      const { dropWebSockets } = deps.faults.apply(body as Partial<FaultSettings>);
      if (dropWebSockets) deps.dropWebSockets?.();
    } catch (err) {
      if (err instanceof FaultInputError) return bad(c, err.message);
      throw err;
    }
    return c.json({ faults: deps.faults.state() });
  });
  app.post('/clock', async (c) => {
    const body = await jsonObject(c);
    if (!body) return bad(c, 'Body must be a JSON object');
    const problem = moveClock(deps.clock, body);
    if (problem) return bad(c, problem);
    deps.engine.step();
    const now = Math.floor(deps.clock.now());
    deps.afterClockMove?.(now);
    return c.json({ now, nowIso: new Date(now).toISOString(), speed: deps.clock.speed });
  });
  return app;
}
