// Read-model latency on a 10,000-trade file db: status()/positions()/trades() one at a time, then 50 pollers at once.
// `bun bench/queries.bench.ts [--quick]` prints the figures; bench/run.ts picks up `bench` as well.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBotQueries, DEFAULT_CACHE_MS } from '../src/bot/queries.ts';
import type { BotQueries } from '../src/bot/view.ts';
import { openDatabase } from '../src/db/client.ts';
import { createEventsRepo } from '../src/db/repos/events.ts';
import { genTrade, makeDeps, seedManyTrades, seedOpen } from '../test/bot/queries-seed.ts';
import { percentile, round, type Bench, type BenchResult } from './lib.ts';

const TRADES = 10_000;
const POLLERS = 50;
const GOAL_P99_MS = 20;

type Call = { name: string; run: (q: BotQueries) => Promise<unknown> };
const CALLS: Call[] = [
  { name: 'status()', run: (q) => q.status() },
  { name: 'positions()', run: (q) => q.positions() },
  { name: 'trades() page 1', run: (q) => q.trades({ limit: 20, offset: 0 }) },
  { name: 'trades() market+loss page 5', run: (q) => q.trades({ limit: 20, offset: 80, market: 'KRW-ETH', result: 'loss' }) },
];

async function latencies(fn: () => Promise<unknown>, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out.sort((a, b) => a - b);
}

/**
 * POLLERS concurrent callers, `rounds` times: each call's latency includes waiting behind the others.
 * `nextRound` moves the clock past the result cache's lifetime, so every round starts cold.
 */
async function burst(fn: (poller: number) => Promise<unknown>, rounds: number, nextRound: () => void): Promise<number[]> {
  const out: number[] = [];
  for (let r = 0; r < rounds; r++) {
    nextRound();
    await Promise.all(Array.from({ length: POLLERS }, async (_, i) => {
      const t = performance.now();
      await fn(i);
      out.push(performance.now() - t);
    }));
  }
  return out.sort((a, b) => a - b);
}

const result = (name: string, value: number, note: string, baseline: string | null = null): BenchResult => ({
  name, value: round(value, 2), unit: 'ms', baseline: baseline ?? `goal p99 < ${GOAL_P99_MS} ms`, meetsGoal: baseline ? null : value < GOAL_P99_MS, note,
});

export const bench: Bench = {
  name: 'queries',
  async run({ isQuick }) {
    const dir = mkdtempSync(join(tmpdir(), 'cb-queries-'));
    const h = await openDatabase(`file:${join(dir, 'bench.db')}`);
    try {
      const start = Date.UTC(2025, 0, 1);
      await seedManyTrades(h.db, TRADES, start);
      const now = genTrade(TRADES - 1, start).closedAt + 1;
      for (const [i, market] of ['KRW-SOL', 'KRW-ADA', 'KRW-DOT'].entries()) await seedOpen(h.db, { market, volume: 1 + i, entryPrice: 1_000 * (i + 1), openedAt: now });
      await createEventsRepo(h.db).appendMany(Array.from({ length: 2_000 }, (_, i) => ({ at: now - i, level: 'info' as const, kind: 'k', message: `m${i}` })));
      const { deps, prices, clock } = makeDeps(h.db, now);
      prices.set('KRW-SOL', 1_010);
      const uncached = createBotQueries({ ...deps, cacheMs: 0 });
      // One read-model object per poller: nothing is shared between them.
      const separate = Array.from({ length: POLLERS }, () => createBotQueries({ ...deps, cacheMs: 0 }));
      const cached = createBotQueries({ ...deps, cacheMs: DEFAULT_CACHE_MS });
      const nextRound = () => void (clock.t += DEFAULT_CACHE_MS + 1);
      const n = isQuick ? 100 : 500;
      const rounds = isQuick ? 5 : 20;
      const out: BenchResult[] = [];
      for (const c of CALLS) {
        await latencies(() => c.run(uncached), 20); // warm-up
        const one = await latencies(() => c.run(uncached), n);
        const note = `${n} sequential calls without the result cache, ${TRADES} trades, file db`;
        out.push(result(`queries ${c.name} p50`, percentile(one, 50), note, 'median, one caller'));
        out.push(result(`queries ${c.name} p99`, percentile(one, 99), note));
        const shared = await burst(() => c.run(cached), rounds, nextRound);
        out.push(result(`queries ${c.name} p99 ×${POLLERS}`, percentile(shared, 99), `${POLLERS} callers at once × ${rounds} cold rounds, shared reads (default cache)`));
        const alone = await burst((i) => c.run(separate[i]!), isQuick ? 2 : 5, nextRound);
        out.push(result(`queries ${c.name} p99 ×${POLLERS} unshared`, percentile(alone, 99), `${POLLERS} callers at once, each its own reads (queueing)`, 'for comparison'));
      }
      return out;
    } finally {
      h.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

if (import.meta.main) {
  for (const r of await bench.run({ isQuick: process.argv.includes('--quick') })) {
    console.log(`${r.name.padEnd(44)} ${String(r.value).padStart(8)} ${r.unit}  ${r.baseline}${r.meetsGoal === false ? '  NOT MET' : ''}`);
  }
}
