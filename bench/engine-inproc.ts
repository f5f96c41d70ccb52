// The engine in this process, as the demo runs it (simulator at 60× + startApp through the real Upbit adapter), with
// settings that keep entries coming; stamps each candle-close evaluation and matches it to the order the simulator took.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloseReport } from '../src/bot/market-data.ts';
import type { CloseOutcome } from '../src/bot/trade-cycle.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { startApp } from '../src/main.ts';
import { startSimulator } from '../src/sim/server.ts';
import { requestDelta, sleep, sum } from './engine-procs.ts';

const ACCESS = 'bench-access';
const SECRET = 'bench-secret';

/** One evaluated close that ended in an order the simulator took. Times in real ms. */
export type LatencySample = {
  boundary: number;
  /** Candle-close job start → the simulator's order handler stamps the order (the bot's own processing). */
  processingMs: number;
  /** The 5-minute boundary itself → order at the simulator (grace + wait for the job's 1 s tick + processing). */
  wallMs: number;
  /** Boundary → job start: the grace (2 s of the bot's clock) and the wait for the next 1-second job tick. */
  waitMs: number;
  /** Job start → market data's "candles closed" (closeUpTo: socket candles + up to 10 REST repairs). */
  closeUpToMs: number | null;
  /** Markets whose socket candle looked stale at this close and were refetched by REST. */
  repairs: number | null;
};

export type InProcResult = {
  speed: number;
  samples: LatencySample[];
  closes: CloseReport[];
  outcomes: Record<string, number>;
  /** Simulator request counts over the steady window, per rate-limit group. */
  requests: Record<string, number>;
  windowSimMin: number;
  windowRealMin: number;
  universe: number;
  modelMarkets: number;
  startupS: number;
  /** Warning and error log lines of the whole run, by message. */
  warnings: Record<string, number>;
};

type Eval = { simStart: number; realStart: number; candlesAt: number | null; outcome: CloseOutcome; report: CloseReport | null };

export async function runInProcess(o: { speed: number; steadyMs: number; startupTimeoutMs?: number }): Promise<InProcResult> {
  const dir = mkdtempSync(join(tmpdir(), 'cb-engine-bench-'));
  const t0 = performance.now();
  const sim = await startSimulator({ speed: o.speed, seed: 1, syntheticCount: 120, krw: 100_000_000, accessKey: ACCESS, secretKey: SECRET });
  const config = loadConfig({
    TRADING_MODE: 'demo', UPBIT_REST_URL: sim.restUrl, UPBIT_WS_URL: sim.wsUrl, UPBIT_ACCESS_KEY: ACCESS, UPBIT_SECRET_KEY: SECRET,
    DATABASE_URL: `file:${join(dir, 'engine.db')}`, HOST: '127.0.0.1', PORT: '0', LOCALE: 'en', LOG_LEVEL: 'info',
    // Entries at (nearly) every close: many slots, a small amount, tight exits that free slots, no cooldown or daily stop.
    MAX_POSITIONS: '100', INVESTMENT_AMOUNT: '10000', PROFIT_RATE: '0.004', LOSS_RATE: '-0.004', COOLDOWN_MINUTES: '0', DAILY_LOSS_LIMIT: '-1000000000',
  });
  let candlesAt: number | null = null;
  const warnings: Record<string, number> = {};
  const onLog = (line: string) => {
    if (line.includes('"msg":"candles closed"')) candlesAt = performance.now();
    if (line.includes('"level":"warn"') || line.includes('"level":"error"')) {
      const msg = /"msg":"([^"]{0,80})/.exec(line)?.[1] ?? '?';
      warnings[msg] = (warnings[msg] ?? 0) + 1;
    }
  };
  const logger = createLogger({ level: 'info', main: null, streams: [{ write: onLog }] });
  const app = await startApp({ config, mode: 'demo', clock: sim.clock, speed: o.speed, logger });
  const evals: Eval[] = [];
  let isSteady = false;
  // Stamps the job's start: the scheduler calls bot.jobs.candleClose() through this property every second.
  const candleClose = app.bot.jobs.candleClose;
  app.bot.jobs.candleClose = async () => {
    const simStart = sim.clock.now();
    const realStart = performance.now();
    candlesAt = null;
    const outcome = await candleClose();
    const at = candlesAt as number | null;
    if (outcome && isSteady) evals.push({ simStart, realStart, candlesAt: at, outcome, report: app.bot.marketData()?.stats().lastClose ?? null });
    return outcome;
  };
  try {
    await waitForSteady(app.bot, o.startupTimeoutMs ?? 60_000);
    const startupS = (performance.now() - t0) / 1000;
    const s0 = { state: sim.state(), real: performance.now() };
    isSteady = true;
    await sleep(o.steadyMs);
    isSteady = false;
    const s1 = { state: sim.state(), real: performance.now() };
    const orders = s1.state.orders.filter((x) => x.accessKey === ACCESS && x.side === 'bid').sort((a, b) => a.createdAt - b.createdAt);
    const samples: LatencySample[] = [];
    for (const e of evals) {
      if (!e.outcome.pick || e.outcome.orderLatencyMs === null) continue;
      const order = orders.find((x) => x.market === e.outcome.pick && x.createdAt >= Math.floor(e.simStart));
      if (!order) continue;
      samples.push({
        boundary: e.outcome.boundary,
        processingMs: (order.createdAt - e.simStart) / o.speed,
        wallMs: (order.createdAt - e.outcome.boundary) / o.speed,
        waitMs: (e.simStart - e.outcome.boundary) / o.speed,
        closeUpToMs: e.candlesAt === null ? null : e.candlesAt - e.realStart,
        repairs: e.report && e.report.boundary === e.outcome.boundary ? e.report.repaired.length : null,
      });
    }
    const outcomes: Record<string, number> = {};
    for (const e of evals) outcomes[e.outcome.result] = (outcomes[e.outcome.result] ?? 0) + 1;
    const requests = requestDelta(s0.state.requests, s1.state.requests);
    return {
      speed: o.speed,
      samples,
      closes: evals.flatMap((e) => (e.report ? [e.report] : [])),
      outcomes,
      requests,
      windowSimMin: (s1.state.now - s0.state.now) / 60_000,
      windowRealMin: (s1.real - s0.real) / 60_000,
      universe: app.bot.marketData()?.universe().length ?? 0,
      modelMarkets: sim.model.listMarkets().filter((m) => m.market.startsWith('KRW-')).length,
      startupS,
      warnings,
    };
  } finally {
    await app.stop('bench done');
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Start-up is over once the history backfill is done and two closes have been evaluated after it (the first catches up). */
async function waitForSteady(bot: Awaited<ReturnType<typeof startApp>>['bot'], timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  const seen = new Set<number>();
  while (performance.now() < deadline) {
    const stats = bot.marketData()?.stats();
    if (stats && stats.backfill.total > 0 && stats.backfill.done + stats.backfill.failed >= stats.backfill.total) {
      seen.add(stats.lastClose?.boundary ?? -1);
      if (seen.size > 2) return;
    }
    await sleep(100);
  }
  throw new Error(`the engine did not reach steady state within ${timeoutMs} ms (feed: ${bot.feed().detail})`);
}

export { sum };
