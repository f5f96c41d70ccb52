// Simulator figures: requests/s it serves to raw fetch clients with its rate limits raised — a Quotation
// endpoint (ticker) and a signed Exchange endpoint (accounts: JWT verify + query-less auth).
import { SignJWT } from 'jose';
import { DEFAULT_LIMITS, type GroupLimit, type RateGroup } from '../src/sim/rate-limit.ts';
import { startSimulator, type Simulator } from '../src/sim/server.ts';
import { percentile, round, type Bench, type BenchResult } from './lib.ts';

const ACCESS = 'bench-access';
const SECRET = new TextEncoder().encode('bench-secret');
const CONCURRENCY = 16;
/** Ten times what one client may send across all groups (~100 req/s): the simulator must never be the bottleneck. */
const GOAL_RPS = 1_000;

const unlimited = Object.fromEntries(Object.keys(DEFAULT_LIMITS).map((g) => [g, { max: 1e9, windowMs: 1000 }])) as Record<RateGroup, GroupLimit>;

/** Runs CONCURRENCY fetch loops for windowMs; returns served req/s and p50/p99 latency in ms. */
async function serve(request: () => Promise<Response>, windowMs: number) {
  const latencies: number[] = [];
  let failures = 0;
  const end = performance.now() + windowMs;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        const res = await request();
        await res.arrayBuffer();
        if (!res.ok) failures++;
        latencies.push(performance.now() - t);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { rps: round(latencies.length / (windowMs / 1000), 0), p50: round(percentile(latencies, 50), 2), p99: round(percentile(latencies, 99), 2), failures };
}

const signedAccounts = (sim: Simulator) => async () => {
  const jwt = await new SignJWT({ access_key: ACCESS, nonce: crypto.randomUUID() }).setProtectedHeader({ alg: 'HS512', typ: 'JWT' }).sign(SECRET);
  return fetch(`${sim.restUrl}/v1/accounts`, { headers: { Authorization: `Bearer ${jwt}` } });
};

export const bench: Bench = {
  name: 'sim-server',
  async run({ isQuick }) {
    const windowMs = isQuick ? 1_500 : 5_000;
    const sim = await startSimulator({ accessKey: ACCESS, secretKey: 'bench-secret', speed: 1, stepIntervalMs: 0, wsHub: null, rateLimit: { limits: unlimited } });
    try {
      const ticker = await serve(() => fetch(`${sim.restUrl}/v1/ticker?markets=KRW-BTC,KRW-ETH,KRW-XRP`), windowMs);
      const accounts = await serve(signedAccounts(sim), windowMs);
      const note = (r: typeof ticker, what: string) =>
        `${what}; ${CONCURRENCY} concurrent raw fetch loops in the same process, p50 ${r.p50} ms, p99 ${r.p99} ms, ${r.failures} non-2xx; rate limits raised`;
      const results: BenchResult[] = [
        { name: 'sim served req/s, GET /v1/ticker', value: ticker.rps, unit: 'req/s', baseline: `goal ≥ ${GOAL_RPS}/s (10× one client's limits)`, meetsGoal: ticker.rps >= GOAL_RPS && ticker.failures === 0, note: note(ticker, '3 markets, default model (125 markets)') },
        { name: 'sim served req/s, GET /v1/accounts', value: accounts.rps, unit: 'req/s', baseline: `goal ≥ ${GOAL_RPS}/s (10× one client's limits)`, meetsGoal: accounts.rps >= GOAL_RPS && accounts.failures === 0, note: note(accounts, 'HS512 JWT signed by the caller and verified by the simulator') },
      ];
      return results;
    } finally {
      await sim.stop();
    }
  },
};
