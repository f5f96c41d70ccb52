// startSimulator: the Upbit-compatible simulator as a real server — REST (Hono on Bun.serve), WebSocket
// upgrade at /websocket/v1 and /websocket/v1/private, and a timer that steps the engine and the WS hub.
import type { Server } from 'bun';
import { silentLogger, type Logger } from '../log.ts';
import { createAccounts } from './accounts.ts';
import { createSimApp } from './app.ts';
import { createAuthVerifier } from './auth-verify.ts';
import { createSimClock, type SimClock } from './clock.ts';
import { buildSimState, type SimState } from './control-routes.ts';
import { createEngine, type Engine } from './engine.ts';
import { SimHttpError } from './errors.ts';
import { createFaults, type Faults } from './faults.ts';
import { createMarketModel } from './market/model.ts';
import { createPrng } from './prng.ts';
import { createRateLimiter, type RateLimitOptions } from './rate-limit.ts';
import type { MarketModel, SimWsData, SimWsHub } from './types.ts';
import { createSimWsHub } from './ws-hub.ts';

export type SimulatorOptions = {
  /** 0 = any free port. */
  port?: number;
  hostname?: string;
  accessKey?: string;
  secretKey?: string;
  /** Further accounts (each gets its own balances). */
  extraKeys?: Array<{ accessKey: string; secretKey: string }>;
  /** Starting KRW of every account. */
  krw?: number;
  /** Simulated ms per real ms; 0 = time moves only through POST /__sim/clock. Ignored when `clock` is given. */
  speed?: number;
  /** Simulated start (epoch ms); default one day after the model's first data. Ignored when `clock` is given. */
  startAt?: number;
  seed?: number;
  /** Synthetic markets of the default model. */
  syntheticCount?: number;
  /** Recorded-candle folder of the default model. */
  dataDir?: string;
  model?: MarketModel;
  clock?: SimClock;
  /** WebSocket hub; default createSimWsHub over the model; null = no WebSocket endpoints. */
  wsHub?: SimWsHub | null;
  rateLimit?: Omit<RateLimitOptions, 'now'>;
  /** Real time for rate-limit windows and 429 storms. */
  realNow?: () => number;
  /** Real ms between engine steps / WS publishes; 0 = no timer (tests step through requests or /__sim/clock). */
  stepIntervalMs?: number;
  /** Used by the latency fault. */
  sleep?: (ms: number) => Promise<void>;
  logger?: Logger;
};

export type Simulator = {
  /** e.g. "http://127.0.0.1:7070" — paths start with /v1. */
  restUrl: string;
  /** e.g. "ws://127.0.0.1:7070/websocket/v1" (private: + "/private"). */
  wsUrl: string;
  clock: SimClock;
  model: MarketModel;
  engine: Engine;
  faults: Faults;
  state(): SimState;
  stop(): Promise<void>;
};

const DAY_MS = 86_400_000;

function resolveClock(opts: SimulatorOptions, model: MarketModel): SimClock {
  if (opts.clock) return opts.clock;
  const span = model.span();
  const startAt = opts.startAt ?? Math.min(span.from + DAY_MS, span.to);
  return createSimClock({ startAt, speed: opts.speed ?? 1, endAt: span.to });
}

function wsUpgrade(server: Server<SimWsData>, req: Request, isPrivate: boolean, accessKey: string | null, nextId: () => number): Response | undefined {
  const ok = server.upgrade(req, { data: { id: nextId(), isPrivate, accessKey } });
  return ok ? undefined : new Response('WebSocket upgrade expected', { status: 400 });
}

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const log = opts.logger ?? silentLogger;
  const seed = opts.seed ?? 1;
  const realNow = opts.realNow ?? (() => Date.now());
  const model = opts.model ?? createMarketModel({ seed, syntheticCount: opts.syntheticCount ?? 120, ...(opts.dataDir ? { dataDir: opts.dataDir } : {}) });
  const clock = resolveClock(opts, model);
  const accessKey = opts.accessKey ?? 'sim-access';
  const keys = new Map([[accessKey, opts.secretKey ?? 'sim-secret'], ...(opts.extraKeys ?? []).map((k) => [k.accessKey, k.secretKey] as [string, string])]);
  const accounts = createAccounts({ startKrw: opts.krw ?? 1_000_000 });
  for (const k of keys.keys()) accounts.ensure(k);
  const hub = opts.wsHub === undefined ? createSimWsHub({ model, clock, logger: log }) : opts.wsHub;
  const engine = createEngine({ model, clock, accounts, prng: createPrng(seed), emit: (ak, payload) => hub?.publishPrivate(ak, payload) });
  const faults = createFaults({ seed, realNow });
  const limiter = createRateLimiter({ ...opts.rateLimit, now: realNow });
  const auth = createAuthVerifier({ keys });
  const deps = {
    engine, accounts, model, clock, auth, limiter, faults,
    ...(opts.sleep ? { sleep: opts.sleep } : {}),
    dropWebSockets: () => hub?.dropAll(),
    afterClockMove: (now: number) => hub?.publish(now),
  };
  const app = createSimApp(deps);
  let wsId = 0;

  const server: Server<SimWsData> = Bun.serve<SimWsData>({
    port: opts.port ?? 0,
    hostname: opts.hostname ?? '127.0.0.1',
    async fetch(req, srv) {
      const path = new URL(req.url).pathname;
      if (hub && (path === '/websocket/v1' || path === '/websocket/v1/private')) {
        if (path === '/websocket/v1') return wsUpgrade(srv, req, false, null, () => ++wsId);
        try {
          const ak = await auth.verifyToken(req.headers.get('authorization'));
          return wsUpgrade(srv, req, true, ak, () => ++wsId);
        } catch (err) {
          if (err instanceof SimHttpError) return Response.json(err.body(), { status: err.status });
          throw err;
        }
      }
      return app.fetch(req, { ip: srv.requestIP(req)?.address ?? 'unknown' });
    },
    websocket: hub?.handler ?? { message() {} },
  });

  const intervalMs = opts.stepIntervalMs ?? 200;
  const timer =
    intervalMs > 0
      ? setInterval(() => {
          try {
            engine.step();
            hub?.publish(clock.now());
          } catch (err) {
            log.error({ err }, 'sim step failed');
          }
        }, intervalMs)
      : null;
  const base = `${server.hostname}:${server.port}`;
  log.info({ restUrl: `http://${base}` }, 'sim started');

  return {
    restUrl: `http://${base}`,
    wsUrl: `ws://${base}/websocket/v1`,
    clock,
    model,
    engine,
    faults,
    state: () => buildSimState(deps),
    async stop() {
      if (timer) clearInterval(timer);
      hub?.dropAll();
      await server.stop(true);
    },
  };
}
