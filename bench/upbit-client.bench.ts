// Upbit client figures: requests/s per rate group against the simulator while staying inside the documented
// limits (with the 429 count), and the cost of one HS512 JWT with query_hash.
import { RATE_LIMITS, type RateGroup } from '../src/exchange/upbit/endpoints.ts';
import { createUpbitAuth } from '../src/exchange/upbit/auth.ts';
import { createUpbitStack, type UpbitStack } from '../src/exchange/upbit/upbit-stack.ts';
import { startSimulator } from '../src/sim/server.ts';
import type { SimState } from '../src/sim/control-routes.ts';
import { round, type Bench, type BenchResult } from './lib.ts';

const ACCESS = 'bench-access';
const SECRET = 'bench-secret';

/** One call per group the bot uses; each is charged to exactly that group. */
const CALLS: Array<[RateGroup, (s: UpbitStack) => Promise<unknown>]> = [
  ['market', (s) => s.exchange.listMarkets()],
  ['ticker', (s) => s.exchange.fetchTickers(['KRW-BTC', 'KRW-ETH', 'KRW-XRP'])],
  ['candle', (s) => s.exchange.fetchCandles({ market: 'KRW-BTC', unit: 1, count: 10 })],
  ['orderbook', (s) => s.exchange.fetchOrderbooks(['KRW-BTC'])],
  ['default', (s) => s.exchange.fetchBalances()],
  ['order-test', (s) => s.exchange.testOrder({ market: 'KRW-BTC', side: 'buy', kind: 'market', amountKrw: 5_000, identifier: 'bench-probe' })],
];

/** Pushes every group as hard as callers can (many concurrent workers) for `windowMs`; counts what completed in the window. */
async function saturate(stack: UpbitStack, windowMs: number): Promise<Map<RateGroup, number>> {
  const done = new Map<RateGroup, number>();
  const end = performance.now() + windowMs;
  const workers = CALLS.flatMap(([group, call]) =>
    Array.from({ length: RATE_LIMITS[group].requests * 3 }, async () => {
      while (performance.now() < end) {
        await call(stack);
        if (performance.now() <= end) done.set(group, (done.get(group) ?? 0) + 1);
      }
    }),
  );
  await Promise.all(workers);
  return done;
}

async function clientThroughput(windowMs: number): Promise<BenchResult[]> {
  const sim = await startSimulator({ accessKey: ACCESS, secretKey: SECRET, syntheticCount: 20, stepIntervalMs: 0, wsHub: null });
  try {
    const stack = createUpbitStack({ baseUrl: sim.restUrl, accessKey: ACCESS, secretKey: SECRET, timeoutMs: 5_000 });
    const done = await saturate(stack, windowMs);
    const state = (await (await fetch(`${sim.restUrl}/__sim/state`)).json()) as SimState;
    const sim429 = state.rateLimited['429'] + state.rateLimited['418'];
    const client429 = Object.values(stack.exchange.stats()).reduce((s, g) => s + g.tooManyRequests + g.blocked, 0);
    const results: BenchResult[] = CALLS.map(([group]) => {
      const limit = RATE_LIMITS[group].requests / (RATE_LIMITS[group].windowMs / 1000);
      const rate = round((done.get(group) ?? 0) / (windowMs / 1000), 1);
      return {
        name: `client ${group} req/s (saturated)`,
        value: rate,
        unit: 'req/s',
        baseline: `documented limit ${limit}/s; must stay ≤ it`,
        meetsGoal: rate <= limit && sim429 === 0,
        note: `${windowMs} ms window, ${RATE_LIMITS[group].requests * 3} concurrent callers; the client keeps 10% in reserve`,
      };
    });
    results.push({
      name: 'client 429/418 answers while saturated',
      value: sim429 + client429,
      unit: 'count',
      baseline: 'goal 0 (the client never causes a 429)',
      meetsGoal: sim429 === 0 && client429 === 0,
      note: `simulator counted ${sim429}, client saw ${client429}; ${Object.values(state.requests).reduce((a, b) => a + b, 0)} requests served`,
    });
    return results;
  } finally {
    await sim.stop();
  }
}

async function jwtCost(iterations: number): Promise<BenchResult[]> {
  const auth = createUpbitAuth({ accessKey: ACCESS, secretKey: SECRET, alg: 'HS512' });
  const query = { market: 'KRW-BTC', 'states[]': ['done', 'cancel'], start_time: '2025-09-04T12:00:00+09:00', limit: 100 };
  const body = { market: 'KRW-BTC', side: 'bid', ord_type: 'price', price: '10000', identifier: 'cb-20250904-000001' };
  const measure = async (input: Parameters<typeof auth.authorization>[0]) => {
    for (let i = 0; i < 200; i++) await auth.authorization(input); // warm-up
    const start = performance.now();
    for (let i = 0; i < iterations; i++) await auth.authorization(input);
    return round(((performance.now() - start) * 1000) / iterations, 1);
  };
  const note = `${iterations} signs incl. SHA-512 query_hash and a fresh UUID nonce`;
  const baseline = 'jose alone 81 µs (notes); goal ≤ 1000 µs';
  const get = await measure({ query });
  const post = await measure({ body });
  return [
    { name: 'JWT HS512 sign, GET query_hash', value: get, unit: 'µs/sign', baseline, meetsGoal: get <= 1000, note },
    { name: 'JWT HS512 sign, POST body hash', value: post, unit: 'µs/sign', baseline, meetsGoal: post <= 1000, note },
  ];
}

export const bench: Bench = {
  name: 'upbit-client',
  async run({ isQuick }) {
    return [...(await jwtCost(isQuick ? 2_000 : 20_000)), ...(await clientThroughput(isQuick ? 3_000 : 10_000))];
  },
};
