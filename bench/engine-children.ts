// Whole-process figures from child processes: the demo's RSS and REST rate with a dashboard polling, a bot-only
// process (paper against a simulator child) for comparison, and SIGKILL → restart → trading again.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bareBunRssMb, childEnv, pollDashboard, requestDelta, rssMb, sampleRss, simCounters, sleep, spawnCli, type RssFigures, type Watched } from './engine-procs.ts';

const URL_RE = /(http:\/\/127\.0\.0\.1:\d+)/;
const first = (re: RegExp, line: string) => re.exec(line)?.[1] ?? '';

export type Memory = RssFigures;
export type Polling = { rounds: number; failures: number; maxMs: number };

export type DemoFigures = {
  rss: Memory;
  poll: Polling;
  requests: Record<string, number>;
  windowSimMin: number;
  windowRealMin: number;
};

/** `bun src/cli.ts demo --speed 60` (default settings) with a browser polling it, for `durationMs` from spawn. */
export async function runDemoChild(durationMs: number): Promise<DemoFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'cb-engine-demo-'));
  const demo = spawnCli(['demo', '--speed', '60'], childEnv({ DEMO_DATABASE_URL: `file:${join(dir, 'demo.db')}` }));
  try {
    const simUrl = first(URL_RE, (await demo.waitFor(/simulator http:\/\/\S+ at/, 30_000)).line);
    const url = first(URL_RE, (await demo.waitFor(/^Dashboard: http/, 30_000)).line);
    const sampler = sampleRss(demo.pid);
    const poller = pollDashboard(url);
    // Steady state: the start-up history is fetched and the first close after it (the catch-up) is done.
    await demo.waitFor(/"msg":"market history fetched"/, 90_000);
    await demo.waitFor(/"msg":"candles closed"/, 30_000);
    const s0 = { ...(await simCounters(simUrl)), real: performance.now() };
    await sleep(Math.max(5_000, demo.spawnedAt + durationMs - performance.now()));
    const s1 = { ...(await simCounters(simUrl)), real: performance.now() };
    const poll = await poller.stop();
    const rss = sampler.stop();
    return {
      rss,
      poll,
      requests: requestDelta(s0.requests, s1.requests),
      windowSimMin: (s1.now - s0.now) / 60_000,
      windowRealMin: (s1.real - s0.real) / 60_000,
    };
  } finally {
    await demo.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export type BotOnly = {
  rss: Memory;
  simRssMb: number | null;
  bareRssMb: number | null;
  poll: Polling;
  /** Kills the bot, restarts it `count` times and measures each start; then stops everything. */
  restarts(count: number): Promise<RestartFigures>;
  /** Stops both children without measuring (another run failed). */
  stop(): Promise<void>;
};

export type RestartTiming = { listenS: number; tradingS: number; feedUpS: number; readyS: number };
export type RestartFigures = { runs: RestartTiming[]; backfilledS: number | null; positions: number | null };

/** A simulator child (speed 1) and `bun src/cli.ts start` in paper mode against it, with a browser polling. */
export async function runBotOnly(durationMs: number): Promise<BotOnly> {
  const dir = mkdtempSync(join(tmpdir(), 'cb-engine-bot-'));
  const sim = spawnCli(['sim', '--port', '0'], childEnv({}));
  let bot: Watched | null = null;
  const cleanup = async () => {
    await bot?.stop();
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const simUrl = first(URL_RE, (await sim.waitFor(/REST\s+http:\/\/\S+\/v1/, 30_000)).line);
    const env = childEnv({
      TRADING_MODE: 'paper', UPBIT_REST_URL: simUrl, UPBIT_WS_URL: `${simUrl.replace('http', 'ws')}/websocket/v1`,
      DATABASE_URL: `file:${join(dir, 'bot.db')}`,
    });
    const spawnBot = () => (bot = spawnCli(['start'], env));
    const b = spawnBot();
    const url = first(URL_RE, (await b.waitFor(/dashboard at http/, 30_000)).line);
    const sampler = sampleRss(b.pid);
    const poller = pollDashboard(url);
    // The start-up history fetch is the same at every start (history is not kept in the db): timed on this first one.
    const filled = b.waitFor(/"msg":"market history fetched"/, Math.max(durationMs, 60_000)).catch(() => null);
    await sleep(Math.max(1_000, b.spawnedAt + durationMs - performance.now()));
    const hit = await filled;
    const backfilledS = hit ? (hit.at - b.spawnedAt) / 1000 : null;
    const poll = await poller.stop();
    const rss = sampler.stop();
    const simRssMb = rssMb(sim.pid);
    const bareRssMb = await bareBunRssMb();
    return {
      rss,
      simRssMb,
      bareRssMb,
      poll,
      stop: cleanup,
      async restarts(count) {
        try {
          const runs: RestartTiming[] = [];
          for (let i = 0; i < count; i++) {
            await bot!.kill9();
            runs.push(await timeStart(spawnBot()));
            if (i < count - 1) await sleep(1_500);
          }
          const last = bot!;
          const status = await fetch(`${first(URL_RE, (await last.waitFor(/dashboard at http/, 1_000)).line)}/api/status`).catch(() => null);
          const positions = status?.ok ? (((await status.json()) as { openPositions?: number }).openPositions ?? null) : null;
          return { runs, backfilledS, positions };
        } finally {
          await cleanup();
        }
      },
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

/** Spawn → dashboard listening, "trading started" (reconciled, strategy restored, market data on), /healthz feed up. */
async function timeStart(bot: Watched): Promise<RestartTiming> {
  const listen = await bot.waitFor(/dashboard at http/, 30_000);
  const url = first(URL_RE, listen.line);
  const trading = await bot.waitFor(/"msg":"trading started"/, 30_000);
  let feedUpAt: number | null = null;
  const deadline = performance.now() + 30_000;
  while (feedUpAt === null && performance.now() < deadline) {
    const res = await fetch(`${url}/healthz`).catch(() => null);
    const body = res?.ok ? ((await res.json()) as { feed?: { isUp?: boolean } }) : null;
    if (body?.feed?.isUp) feedUpAt = performance.now();
    else await sleep(20);
  }
  if (feedUpAt === null) throw new Error(`the restarted bot's feed never came up:\n${bot.tail()}`);
  const s = (at: number) => (at - bot.spawnedAt) / 1000;
  return { listenS: s(listen.at), tradingS: s(trading.at), feedUpS: s(feedUpAt), readyS: s(Math.max(trading.at, feedUpAt)) };
}
