// Test harness: the real simulator (stepped clock, own WS hub) + the real Upbit REST client and market stream over 127.0.0.1.
import type { Candle } from '../../src/core/types.ts';
import type { MarketStream, MarketStreamHandlers } from '../../src/exchange/market-stream.ts';
import { createCircuitBreaker } from '../../src/exchange/upbit/circuit-breaker.ts';
import { createRateLimiter } from '../../src/exchange/upbit/rate-limiter.ts';
import { createUpbitRestClient } from '../../src/exchange/upbit/rest-client.ts';
import { createUpbitExchange, type UpbitExchange } from '../../src/exchange/upbit/upbit-exchange.ts';
import { createUpbitMarketStream } from '../../src/exchange/upbit/upbit-market-stream.ts';
import { createSimClock, type SimClock } from '../../src/sim/clock.ts';
import { createMarketModel } from '../../src/sim/market/model.ts';
import { startSimulator, type Simulator } from '../../src/sim/server.ts';
import { createSimWsHub } from '../../src/sim/ws-hub.ts';

/** 2025-09-03 01:02:30 UTC: inside the recorded data, mid-bucket. */
export const START = Date.UTC(2025, 8, 5, 1, 2, 30); // inside the bundled 3-day subset (runs without ../shared)
export const FIVE_MIN = 300_000;
// Quotation groups raised on both sides so 125-market history takes well under a second in tests.
const FAST = { requests: 1_000, windowMs: 1_000 };
const SIM_FAST = { max: 1_000, windowMs: 1_000 };

export type MarketSim = {
  sim: Simulator;
  clock: SimClock;
  exchange: UpbitExchange;
  /** The real Upbit market stream, counting the events it passes on. */
  stream: MarketStream;
  /** Moves simulated time to `at` in steps (each step publishes on the socket), then waits for the socket to drain. */
  advanceTo(at: number, stepMs?: number): Promise<void>;
  /** Waits until every message the hub sent has reached the stream's handlers. */
  settle(): Promise<void>;
  dropSockets(): Promise<void>;
  /** GET /v1/candles/minutes/5 straight from the simulator (raw JSON, our parser not involved), oldest first. */
  restCandles(market: string, to: number, count: number): Promise<Candle[]>;
  /** Requests the simulator counted per rate-limit group. */
  simRequests(): Promise<Record<string, number>>;
  stop(): Promise<void>;
};

export async function waitFor(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await Bun.sleep(2);
  }
}

export async function startMarketSim(o: { syntheticCount?: number; reconnectMs?: number } = {}): Promise<MarketSim> {
  const model = createMarketModel({ seed: 1, syntheticCount: o.syntheticCount ?? 120 });
  const clock = createSimClock({ startAt: START, speed: 0 });
  const hub = createSimWsHub({ model, clock });
  const sim = await startSimulator({ model, clock, wsHub: hub, stepIntervalMs: 0, rateLimit: { limits: { candle: SIM_FAST, ticker: SIM_FAST, market: SIM_FAST } } });
  const limiter = createRateLimiter({ limits: { candle: FAST, ticker: FAST, market: FAST } });
  const client = createUpbitRestClient({ baseUrl: sim.restUrl, timeoutMs: 3_000, retries: 1, limiter, breaker: createCircuitBreaker() });
  const exchange = createUpbitExchange({ client });
  // random() = 1 - ε: the reconnect waits (almost exactly) reconnectMs of real time.
  const inner = createUpbitMarketStream({ url: sim.wsUrl, backoff: { baseMs: o.reconnectMs ?? 20, maxMs: o.reconnectMs ?? 20 }, random: () => 0.999, pingIntervalMs: 600_000 });
  let received = 0;
  let lostAtDrop = 0;
  const stream: MarketStream = {
    start(h: MarketStreamHandlers) {
      inner.start({
        onTicker: (t) => (received++, h.onTicker(t)),
        onCandle5m: (c, isSnapshot) => (received++, h.onCandle5m(c, isSnapshot)),
        onState: (s) => h.onState(s),
      });
    },
    stop: () => inner.stop(),
    subscribe: (s) => inner.subscribe(s),
    state: () => inner.state(),
  };
  const settle = () => waitFor(() => received + lostAtDrop >= hub.stats().messages, 'the socket to drain');
  const control = (path: string, body: unknown) => fetch(`${sim.restUrl}/__sim/${path}`, { method: 'POST', body: JSON.stringify(body) });
  return {
    sim, clock, exchange, stream, settle,
    async advanceTo(at, stepMs = 5_000) {
      // Every boundary is a step: the hub publishes one state per step, so a step straddling a boundary would
      // hide that bucket's last trades from the socket (the close then repairs only what the tickers reveal).
      for (let now = clock.now(); now < at; now = clock.now()) {
        const toBoundary = FIVE_MIN - (now % FIVE_MIN);
        await control('clock', { advanceMs: Math.min(stepMs, at - now, toBoundary) });
      }
      await settle();
    },
    async dropSockets() {
      await settle();
      await control('faults', { dropWebSockets: true });
      lostAtDrop = hub.stats().messages - received;
    },
    async restCandles(market, to, count) {
      const url = `${sim.restUrl}/v1/candles/minutes/5?market=${market}&to=${new Date(to).toISOString().slice(0, 19)}Z&count=${count}`;
      const raw = (await (await fetch(url)).json()) as Record<string, number | string>[];
      return raw.reverse().map((c) => ({
        market, openTime: Date.parse(`${c.candle_date_time_utc}Z`), open: c.opening_price as number, high: c.high_price as number,
        low: c.low_price as number, close: c.trade_price as number, volume: c.candle_acc_trade_volume as number, turnoverKrw: c.candle_acc_trade_price as number,
      }));
    },
    simRequests: async () => ((await (await fetch(`${sim.restUrl}/__sim/state`)).json()) as { requests: Record<string, number> }).requests,
    async stop() {
      await inner.stop();
      await sim.stop();
    },
  };
}
