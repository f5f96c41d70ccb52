// The whole engine against the simulator over real sockets: createBot with the real Upbit stack and market stream,
// a scripted market on the simulator's stepped clock, an in-memory db and a recording notifier channel.
import { topCandidateAdviser, type Adviser } from '../../src/ai/adviser.ts';
import { createBot, type Bot } from '../../src/bot/bot.ts';
import { seededRandom } from '../../src/bot/identifiers.ts';
import type { CloseOutcome } from '../../src/bot/trade-cycle.ts';
import { loadConfig } from '../../src/config.ts';
import type { DbHandle } from '../../src/db/client.ts';
import { fills, orders, outbox, positions } from '../../src/db/schema.ts';
import type { MarketStream } from '../../src/exchange/market-stream.ts';
import { createUpbitMarketStream } from '../../src/exchange/upbit/upbit-market-stream.ts';
import { createUpbitStack } from '../../src/exchange/upbit/upbit-stack.ts';
import { createLogger, silentLogger, type Logger } from '../../src/log.ts';
import { createSimClock, type SimClock } from '../../src/sim/clock.ts';
import type { SimState } from '../../src/sim/control-routes.ts';
import { startSimulator, type Simulator } from '../../src/sim/server.ts';
import { createSimWsHub } from '../../src/sim/ws-hub.ts';
import { createRecordingNotifier, type RecordingNotifier } from '../fakes/recording-notifier.ts';
import { createScriptedMarket, MINUTE, type ScriptedMarket, type ScriptedMarketSpec } from './scripted-market.ts';
import { openTestDb } from './test-db.ts';

export const ACCESS = 'engine-access';
export const SECRET = 'engine-secret';
/** 2026-01-15 03:00:02 UTC (12:00:02 KST): two seconds past a minute, so every 60 s step lands 2 s past a boundary. */
export const START = Date.UTC(2026, 0, 15, 3, 0, 2);

export type EngineOptions = {
  markets: Record<string, ScriptedMarketSpec>;
  start?: number;
  /** Settings on top of the test defaults (INVESTMENT_AMOUNT 100,000, COOLDOWN_MINUTES 0, LOCALE en). */
  env?: Record<string, string>;
  adviser?: Adviser;
  krw?: number;
  /** The bot's logger (default: silent, or pretty with ENGINE_LOG=1). */
  logger?: Logger;
};

export type Engine = {
  model: ScriptedMarket;
  sim: Simulator;
  clock: SimClock;
  bot: Bot;
  handle: DbHandle;
  notifier: RecordingNotifier;
  /** The minute start of START (scripts are written against it). */
  t0: number;
  /** Moves the clock one minute at a time (the socket drained after each), then runs the candle-close job; returns its outcomes. */
  step(minutes?: number): Promise<CloseOutcome[]>;
  /** Moves the clock by `ms` (the socket drained), then runs the close job once (as its every-second run would). */
  advance(ms: number): Promise<void>;
  simState(): Promise<SimState>;
  rows(): Promise<{ positions: (typeof positions.$inferSelect)[]; orders: (typeof orders.$inferSelect)[]; fills: (typeof fills.$inferSelect)[]; outbox: (typeof outbox.$inferSelect)[] }>;
  stop(): Promise<void>;
};

/** Bounded poll (real time) until `check` holds; throws naming `what` otherwise. */
export async function waitUntil(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await Bun.sleep(5);
  }
}

function countingStream(inner: MarketStream, onMessage: () => void): MarketStream {
  return {
    start: (h) =>
      inner.start({
        onTicker: (t) => (onMessage(), h.onTicker(t)),
        onCandle5m: (c, isSnapshot) => (onMessage(), h.onCandle5m(c, isSnapshot)),
        onState: (s) => h.onState(s),
      }),
    stop: () => inner.stop(),
    subscribe: (s) => inner.subscribe(s),
    state: () => inner.state(),
  };
}

export async function startEngine(o: EngineOptions): Promise<Engine> {
  const start = o.start ?? START;
  const model = createScriptedMarket({ start, markets: o.markets });
  const clock = createSimClock({ startAt: start, speed: 0 });
  const hub = createSimWsHub({ model, clock });
  const sim = await startSimulator({ model, clock, wsHub: hub, stepIntervalMs: 0, accessKey: ACCESS, secretKey: SECRET, krw: o.krw ?? 1_000_000 });
  const handle = await openTestDb();
  const notifier = createRecordingNotifier();
  const logger = o.logger ?? (process.env.ENGINE_LOG ? createLogger({ level: 'debug', pretty: 'true' }) : silentLogger);
  const config = loadConfig({
    TRADING_MODE: 'demo', UPBIT_REST_URL: sim.restUrl, UPBIT_WS_URL: sim.wsUrl, UPBIT_ACCESS_KEY: ACCESS, UPBIT_SECRET_KEY: SECRET,
    DATABASE_URL: ':memory:', INVESTMENT_AMOUNT: '100000', COOLDOWN_MINUTES: '0', LOCALE: 'en', ...o.env,
  });
  // Rate limits and retries run on real time (as in main.ts); only the market runs on the stepped clock.
  const { exchange } = createUpbitStack({ baseUrl: sim.restUrl, accessKey: ACCESS, secretKey: SECRET, timeoutMs: 3_000, logger });
  let received = 0;
  const stream = countingStream(createUpbitMarketStream({ url: sim.wsUrl, logger }), () => received++);
  const bot = createBot({
    config, mode: 'demo', db: handle.db, exchange, stream, clock, logger, random: seededRandom(7),
    adviser: o.adviser ?? topCandidateAdviser, channels: [notifier],
    // Order polling and retries need no real waiting here: the simulator fills market orders at once.
    sleep: (ms) => Bun.sleep(Math.min(ms, 5)),
  });
  await bot.start();
  await waitUntil(() => bot.marketData() !== null, 'trading to start');
  await bot.marketData()!.ready();
  await waitUntil(() => hub.sockets().length > 0 && bot.feed().isUp, 'the market socket');
  const settle = () => waitUntil(() => received >= hub.stats().messages, 'the socket to drain');
  await settle();
  await bot.jobs.candleClose();
  const control = (path: string, body: unknown) => fetch(`${sim.restUrl}/__sim/${path}`, { method: 'POST', body: JSON.stringify(body) });
  const advanceBy = async (ms: number): Promise<CloseOutcome | null> => {
    const res = await control('clock', { advanceMs: ms });
    if (!res.ok) throw new Error(`clock step failed: ${res.status}`);
    await settle();
    return bot.jobs.candleClose();
  };
  const simState = async () => (await (await fetch(`${sim.restUrl}/__sim/state`)).json()) as SimState;

  return {
    model, sim, clock, bot, handle, notifier,
    t0: Math.floor(start / MINUTE) * MINUTE,
    async step(minutes = 1) {
      const outcomes: CloseOutcome[] = [];
      for (let i = 0; i < minutes; i++) {
        const outcome = await advanceBy(MINUTE);
        if (outcome) outcomes.push(outcome);
      }
      return outcomes;
    },
    async advance(ms) {
      await advanceBy(ms);
    },
    simState,
    async rows() {
      const db = handle.db;
      return {
        positions: await db.select().from(positions),
        orders: await db.select().from(orders),
        fills: await db.select().from(fills),
        outbox: await db.select().from(outbox),
      };
    },
    async stop() {
      await bot.stop('test over');
      await sim.stop();
      handle.close();
    },
  };
}
