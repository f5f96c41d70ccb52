// Test helper: a tiny Bun.serve stub on 127.0.0.1 that records every request, and a wired-up REST client.
import { createUpbitAuth } from '../../../src/exchange/upbit/auth.ts';
import { createCircuitBreaker, type CircuitBreakerOptions } from '../../../src/exchange/upbit/circuit-breaker.ts';
import { createRateLimiter, type RateLimiterOptions } from '../../../src/exchange/upbit/rate-limiter.ts';
import { createUpbitRestClient, type UpbitRestClientOptions } from '../../../src/exchange/upbit/rest-client.ts';
import { createVirtualTime, type VirtualTime } from './virtual-time.ts';

export type Recorded = { method: string; path: string; search: string; headers: Headers; body: string; at: number };
export type StubHandler = (req: Recorded, n: number) => Response | Promise<Response>;

export const ACCESS_KEY = 'test-access-key';
export const SECRET_KEY = 'test-secret-key';

export function startStub(handle: StubHandler, now: () => number = Date.now) {
  const requests: Recorded[] = [];
  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    async fetch(req) {
      const url = new URL(req.url);
      const rec: Recorded = { method: req.method, path: url.pathname, search: url.search.slice(1), headers: req.headers, body: await req.text(), at: now() };
      requests.push(rec);
      return handle(rec, requests.length);
    },
  });
  return { url: `http://127.0.0.1:${server.port}`, requests, stop: () => server.stop(true) };
}

export const json = (data: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(data), { status, headers: { 'Content-Type': 'application/json', ...headers } });

export type ClientSetup = {
  retries?: number;
  timeoutMs?: number;
  limiter?: RateLimiterOptions;
  breaker?: CircuitBreakerOptions;
  client?: Partial<UpbitRestClientOptions>;
  vt?: VirtualTime;
};

/** A client on virtual time (sleeps fire only while no request is in flight); random = 0.5. */
export function makeClient(baseUrl: string, setup: ClientSetup = {}) {
  const vt = setup.vt ?? createVirtualTime();
  const limiter = createRateLimiter({ now: vt.now, sleep: vt.sleep, random: () => 0.5, ...setup.limiter });
  const breaker = createCircuitBreaker({ now: vt.now, ...setup.breaker });
  const client = createUpbitRestClient({
    baseUrl,
    auth: createUpbitAuth({ accessKey: ACCESS_KEY, secretKey: SECRET_KEY }),
    fetch: vt.track((input, init) => fetch(input, init)),
    clock: { now: vt.now },
    sleep: vt.sleep,
    random: () => 0.5,
    timeoutMs: setup.timeoutMs ?? 2_000,
    retries: setup.retries ?? 2,
    limiter,
    breaker,
    ...setup.client,
  });
  return { client, vt, limiter, breaker };
}
