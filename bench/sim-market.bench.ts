// Simulator market model: build time, resident memory over a bare Bun, first (52-week) ticker late in the span, per-call µs.
// Memory needs a fresh process, so run() spawns this file with --measure and reads one JSON line back.
import { type Bench, type BenchResult, round } from './lib.ts';

type Figures = {
  buildMs: number;
  rssDeltaMb: number;
  heapDeltaMb: number;
  firstWorkMs: number;
  firstLateTickerMs: number;
  tickerUs: number;
  candlesUs: number;
  orderbookUs: number;
};

const MB = 2 ** 20;
const HOUR_MS = 3_600_000;

/** Runs in the child: a bare process, then the model with 5 recorded + 120 synthetic markets and a realistic poll. */
async function measure(reps: number): Promise<Figures> {
  Bun.gc(true);
  const bare = process.memoryUsage();
  const { createMarketModel } = await import('../src/sim/market/model.ts');
  let t0 = performance.now();
  const model = createMarketModel({ seed: 1, syntheticCount: 120 });
  const buildMs = performance.now() - t0;
  const markets = model.listMarkets().map((m) => m.market);
  const { from, to } = model.span();
  const poll = (t: number) => {
    for (const m of markets) {
      model.ticker(m, t);
      model.candles(m, 300, t + 1, 20, t);
      model.orderbook(m, t, 30);
    }
  };
  const t = from + 10 * 86_400_000 + 5 * HOUR_MS + 12_345;
  t0 = performance.now();
  poll(t);
  const firstWorkMs = performance.now() - t0;
  poll(t + HOUR_MS);
  Bun.gc(true);
  await Bun.sleep(2000); // the allocator returns freed pages to the OS on its own schedule: measure settled RSS
  Bun.gc(true);
  const after = process.memoryUsage();
  const perCall = (fn: (m: string, at: number) => unknown) => {
    const start = performance.now();
    for (let r = 0; r < reps; r++) for (const m of markets) fn(m, t + HOUR_MS + r * 1000);
    return ((performance.now() - start) * 1000) / (reps * markets.length);
  };
  const tickerUs = perCall((m, at) => model.ticker(m, at));
  const candlesUs = perCall((m, at) => model.candles(m, 300, at + 1, 20, at));
  const orderbookUs = perCall((m, at) => model.orderbook(m, at, 30));
  const late = to - HOUR_MS;
  t0 = performance.now();
  for (const m of markets) model.ticker(m, late);
  const firstLateTickerMs = performance.now() - t0;
  return {
    buildMs, rssDeltaMb: (after.rss - bare.rss) / MB, heapDeltaMb: (after.heapUsed - bare.heapUsed) / MB,
    firstWorkMs, firstLateTickerMs, tickerUs, candlesUs, orderbookUs,
  };
}

function result(name: string, value: number, unit: string, goal: number | null, baseline: string, note: string): BenchResult {
  return { name, value: round(value, 2), unit, baseline, meetsGoal: goal === null ? null : value <= goal, note };
}

export const bench: Bench = {
  name: 'sim-market',
  async run(ctx) {
    const child = Bun.spawn([process.execPath, import.meta.path, '--measure', String(ctx.isQuick ? 20 : 200)], { stdout: 'pipe', stderr: 'inherit' });
    const out = await new Response(child.stdout).text();
    if ((await child.exited) !== 0) throw new Error(`Cannot measure the market model: child exited with ${child.exitCode}`);
    const f = JSON.parse(out.trim().split('\n').pop()!) as Figures;
    const workload = '125 markets: ticker + 20×5m candles + 30-level book, at day 10 and an hour later';
    return [
      result('sim-market build', f.buildMs, 'ms', 400, 'goal ≤ 400 ms (before: ~300 ms)', 'createMarketModel({ seed: 1, syntheticCount: 120 }), shared data'),
      result('sim-market memory (RSS delta)', f.rssDeltaMb, 'MB', 40, 'goal < 40 MB (before: ~70 MB, ~130 MB once late)', `settled, over a bare Bun, after the model + ${workload}; incl. module load + JIT (~14 MB)`),
      result('sim-market heap delta', f.heapDeltaMb, 'MB', null, 'before: ~46 MB (~74 MB once late)', 'JS heap incl. typed arrays (recorded columns ~7 MB, 240 day chunks ~12 MB)'),
      result('sim-market first poll at day 10', f.firstWorkMs, 'ms', null, 'before: ~600–800 ms', `${workload}; includes 52-week walks and JIT warm-up`),
      result('sim-market first late ticker', f.firstLateTickerMs, 'ms', 200, 'goal < 200 ms (before: ~1,000–1,200 ms)', 'ticker() of all 125 markets an hour before the span ends'),
      result('sim-market ticker', f.tickerUs, 'µs/call', 5, 'goal ≤ 5 µs (before: ~3–6 µs)', 'per market, warm'),
      result('sim-market candles 5m×20', f.candlesUs, 'µs/call', 3, 'goal ≤ 3 µs (before: ~2–2.5 µs)', 'per market, warm, incl. the partial bucket'),
      result('sim-market orderbook', f.orderbookUs, 'µs/call', 40, 'goal ≤ 40 µs (before: ~23–43 µs)', '30 levels per market, warm'),
    ];
  },
};

if (import.meta.main && process.argv.includes('--measure')) {
  const reps = Number(process.argv[process.argv.indexOf('--measure') + 1]) || 200;
  console.log(JSON.stringify(await measure(reps)));
}
