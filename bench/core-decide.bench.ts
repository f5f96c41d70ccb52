// Throughput of core/decide: 10 million generated 1-minute candles of 50 markets fed through one strategy state machine.
// `bun bench/core-decide.bench.ts [--quick]` prints candles/second; bench/run.ts picks up `bench` as well.
import { createStrategy } from '../src/core/decide.ts';
import { EV_ENTRY_FILLED, EV_EXIT } from '../src/core/decide-events.ts';
import { DEFAULT_STRATEGY_SETTINGS } from '../src/core/strategy.ts';

const GOAL_PER_SECOND = 50_000_000;
const MARKETS = 50;

type Tape = { n: number; market: Int32Array; time: Float64Array; o: Float64Array; h: Float64Array; l: Float64Array; c: Float64Array; v: Float64Array };

/** A seeded random walk per market, minute by minute, ~2% of minutes missing, occasional volume bursts. */
function generate(count: number, seed = 42): Tape {
  let x = seed >>> 0;
  const rnd = () => ((x = (Math.imul(x, 1_664_525) + 1_013_904_223) >>> 0) / 4_294_967_296);
  const tape: Tape = {
    n: 0, market: new Int32Array(count), time: new Float64Array(count), o: new Float64Array(count), h: new Float64Array(count),
    l: new Float64Array(count), c: new Float64Array(count), v: new Float64Array(count),
  };
  const price = Array.from({ length: MARKETS }, (_, m) => 1_000 * (m + 1));
  const start = Date.UTC(2025, 0, 1);
  for (let minute = 0, k = 0; k < count; minute++) {
    for (let m = 0; m < MARKETS && k < count; m++) {
      if (rnd() < 0.02) continue;
      const open = price[m]!;
      const close = open * (1 + (rnd() - 0.5) * 0.004);
      price[m] = close;
      tape.market[k] = m;
      tape.time[k] = start + minute * 60_000;
      tape.o[k] = open;
      tape.h[k] = Math.max(open, close) * (1 + rnd() * 0.001);
      tape.l[k] = Math.min(open, close) * (1 - rnd() * 0.001);
      tape.c[k] = close;
      tape.v[k] = rnd() < 0.002 ? 20 + rnd() * 50 : 1 + rnd();
      k++;
      tape.n = k;
    }
  }
  return tape;
}

function feed(t: Tape) {
  const markets = Array.from({ length: MARKETS }, (_, m) => `KRW-M${String(m).padStart(3, '0')}`);
  const s = createStrategy({ ...DEFAULT_STRATEGY_SETTINGS, trailingStop: 0.01 }, { markets, initialKrw: 10_000_000 });
  const { market, time, o, h, l, c, v } = t;
  const ev = s.events;
  let entries = 0;
  let exits = 0;
  const heapBefore = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  for (let k = 0; k < t.n; k++) {
    if (s.candle(market[k]!, time[k]!, o[k]!, h[k]!, l[k]!, c[k]!, v[k]!) !== 0) {
      for (let e = 0; e < ev.count; e++) {
        if (ev.kind[e] === EV_ENTRY_FILLED) entries++;
        else if (ev.kind[e] === EV_EXIT) exits++;
      }
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  return { perSecond: t.n / seconds, seconds, entries, exits, heapDeltaMb: (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20, pnl: s.stats().realisedPnlTotalKrw };
}

export const bench = {
  name: 'core-decide',
  async run(ctx: { isQuick: boolean }) {
    const tape = generate(ctx.isQuick ? 1_000_000 : 10_000_000);
    const runs = [feed(tape), feed(tape), feed(tape)];
    const best = runs.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
    return [
      {
        name: 'core/decide candles per second',
        value: Math.round(best.perSecond),
        unit: 'candles/s',
        baseline: `goal ≥ ${GOAL_PER_SECOND.toLocaleString('en-US')} on one core`,
        meetsGoal: best.perSecond >= GOAL_PER_SECOND,
        note: `${tape.n} 1-min candles, ${MARKETS} markets, best of 3 (${runs.map((r) => Math.round(r.perSecond / 1e6)).join('/')} M/s); ${best.entries} entries, ${best.exits} exits, heap Δ ${best.heapDeltaMb.toFixed(1)} MB`,
      },
    ];
  },
};

if (import.meta.main) {
  const [r] = await bench.run({ isQuick: process.argv.includes('--quick') });
  console.log(`${r!.name}: ${r!.value.toLocaleString('en-US')} ${r!.unit} (${r!.baseline}: ${r!.meetsGoal ? 'met' : 'NOT met'})`);
  console.log(r!.note);
}
