// The dashboard over the real read models on a seeded file db, served on 127.0.0.1 for bench/dashboard.bench.ts.
// Run as its own process (`bun bench/dashboard-serve.ts <db path>`) so its resident memory and server-side times are
// its own; prints "READY <url>". Bench-only routes under /__bench/: timings, memory, next-round (a new burst with a
// cold read cache and render cache; a burst's clock starts at its first request).
import { createBotQueries, DEFAULT_CACHE_MS } from '../src/bot/queries.ts';
import { createBotState } from '../src/bot/state.ts';
import type { ChartCandle } from '../src/bot/view.ts';
import type { Clock } from '../src/clock.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase, type Db } from '../src/db/client.ts';
import { createAdviserDecisionsRepo } from '../src/db/repos/adviser-decisions.ts';
import { createBotStateRepo } from '../src/db/repos/bot-state.ts';
import { createEventsRepo, LEVELS } from '../src/db/repos/events.ts';
import { insertFills } from '../src/db/repos/fills.ts';
import { insertOrder } from '../src/db/repos/orders.ts';
import { silentLogger } from '../src/log.ts';
import { createApp } from '../src/web/app.ts';
import { MARKETS, SETTINGS, seedManyTrades, seedOpen } from '../test/bot/queries-seed.ts';

export const TRADES = 10_000;
const EVENTS = 5_000;
const DECISIONS = 300;
const HELD = [
  { market: 'KRW-SOL', volume: 0.5, entryPrice: 201_500 },
  { market: 'KRW-ADA', volume: 120, entryPrice: 833 },
  { market: 'KRW-DOT', volume: 16, entryPrice: 6_180 },
];

/** A deterministic 5-minute candle walk ending at `now` (the live process fetches these from the exchange). */
function candlesFor(market: string, now: number, count: number): ChartCandle[] {
  const base = HELD.find((h) => h.market === market)?.entryPrice ?? 10_000;
  const end = Math.floor(now / 300_000) * 300_000;
  return Array.from({ length: count }, (_, i) => {
    const mid = base * (1 + 0.02 * Math.sin((i + market.length) / 9));
    return { openTime: end - (count - 1 - i) * 300_000, open: mid * 0.999, high: mid * 1.003, low: mid * 0.997, close: mid * 1.001, volume: 10 + (i % 17) };
  });
}

/** 10,000 closed trades ending just before `now`, three held positions with buy fills, the log and the AI rounds. */
export async function seedDashboard(db: Db, now: number): Promise<void> {
  await seedManyTrades(db, TRADES, now - (TRADES + 60) * 60_000);
  for (const [i, h] of HELD.entries()) {
    const openedAt = now - (i + 1) * 45 * 60_000;
    const p = await seedOpen(db, { ...h, openedAt });
    const order = await insertOrder(db, { identifier: `bench-${i}`, market: h.market, side: 'buy', kind: 'market', purpose: 'entry', positionId: p.id, amountKrw: h.volume * h.entryPrice, at: openedAt });
    await insertFills(db, order.id, h.market, [{ tradeId: `t-${i}`, price: h.entryPrice, volume: h.volume, funds: h.volume * h.entryPrice, time: openedAt, side: 'buy' }]);
  }
  const events = createEventsRepo(db);
  for (let from = 0; from < EVENTS; from += 1_000) {
    await events.appendMany(Array.from({ length: 1_000 }, (_, k) => {
      const i = from + k;
      return { at: now - i * 7_000, level: LEVELS[i % 7 === 0 ? 2 : i % 3 === 0 ? 0 : 1]!, kind: 'bench', message: `close evaluated: ${i % 40} candidates, result none` };
    }));
  }
  const decisions = createAdviserDecisionsRepo(db);
  for (let i = 0; i < DECISIONS; i++) {
    const candidates = MARKETS.map((m, k) => ({ market: m, volumeRatio: 2 + k * 0.7, change: 0.01 * k }));
    await decisions.insert({
      at: now - i * 300_000, adviser: 'gemini', candidates, pick: MARKETS[i % MARKETS.length]!, confidence: 0.6 + (i % 4) * 0.1, risk: 'medium',
      reason: 'The strongest volume spike with a moderate price change and no sign of exhaustion.', latencyMs: 900 + (i % 300),
      tokensIn: 800, tokensOut: 120, outcome: i % 5 === 0 ? 'vetoed' : 'taken',
    });
  }
}

export async function serveDashboard(dbPath: string, isFresh: boolean) {
  const h = await openDatabase(`file:${dbPath}`);
  let offset = 0; // moved past the read cache's lifetime by /__bench/next-round
  const clock: Clock = { now: () => Date.now() + offset };
  if (isFresh) await seedDashboard(h.db, clock.now());
  const botState = createBotState({ repo: createBotStateRepo(h.db), clock, publisher: { publish: async () => undefined }, mode: 'paper', logger: silentLogger });
  await botState.load();
  await botState.heartbeat();
  const queries = createBotQueries({
    db: h.db, clock, mode: 'paper', settings: SETTINGS, botState,
    prices: { last: (m) => { const e = HELD.find((x) => x.market === m); return e ? { price: e.entryPrice * (1 + ((clock.now() / 1000) % 10) / 1000), time: clock.now() } : null; } },
    balances: { krw: () => ({ free: 612_000, locked: 0 }) },
    feed: () => ({ isUp: true, lastTickAt: clock.now() - 800, reconnects: 0, detail: null }),
    exchangeHealth: () => ({ isDegraded: false, reason: null }),
    candles: (market, _unit, count) => candlesFor(market, clock.now(), count),
    adviser: { name: 'gemini', isEnabled: true, monthlyQuota: 1_500 },
    config: loadConfig({}) as unknown as Record<string, unknown>,
  });
  const refused = async () => ({ ok: false, message: 'not in the benchmark' });
  const app = createApp({
    queries, commands: { pause: refused, resume: refused, sellPosition: refused, sellAll: refused },
    clock, // the render cache's window on the same clock as the read cache, so next-round makes both cold
    auth: { password: null, apiToken: null, now: () => Date.now() }, logger: silentLogger,
  });

  // Per path: time in the handler, and time from the round's first arrival to this response (queueing included).
  type Timings = Record<string, { handler: number[]; sinceRound: number[] }>;
  let timings: Timings | null = null;
  let roundStart: number | null = null;
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(req) {
      const url = new URL(req.url);
      if (url.pathname === '/__bench/next-round') {
        offset += DEFAULT_CACHE_MS + 1;
        roundStart = null;
        return new Response('ok');
      }
      if (url.pathname === '/__bench/timings') {
        const out = timings ?? {};
        timings = url.searchParams.get('record') === '1' ? {} : null;
        return Response.json(out);
      }
      if (url.pathname === '/__bench/memory') return Response.json(process.memoryUsage());
      const t = performance.now();
      roundStart ??= t;
      const res = await app.fetch(req);
      const end = performance.now();
      if (timings) {
        const entry = (timings[url.pathname + url.search] ??= { handler: [], sinceRound: [] });
        entry.handler.push(end - t);
        entry.sinceRound.push(end - roundStart);
      }
      return res;
    },
  });
  return { url: `http://127.0.0.1:${server.port}`, stop: async () => { await server.stop(true); h.close(); } };
}

if (import.meta.main) {
  const [dbPath, fresh] = process.argv.slice(2);
  if (!dbPath) throw new Error('usage: bun bench/dashboard-serve.ts <db path> [--fresh]');
  const { url } = await serveDashboard(dbPath, fresh === '--fresh');
  console.log(`READY ${url}`);
}
