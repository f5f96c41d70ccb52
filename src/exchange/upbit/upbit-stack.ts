// One call that wires auth, rate limiter, circuit breaker, REST client and the Upbit Exchange (for main.ts / demo).
import type { Clock } from '../../clock.ts';
import type { Logger } from '../../log.ts';
import { createUpbitAuth, type UpbitAuth, type UpbitJwtAlg } from './auth.ts';
import { createCircuitBreaker, type CircuitBreaker } from './circuit-breaker.ts';
import { type BlockScope, createRateLimiter, type RateLimiter } from './rate-limiter.ts';
import { createUpbitRestClient, type UpbitRestClient } from './rest-client.ts';
import { createUpbitExchange, type UpbitExchange } from './upbit-exchange.ts';

export type UpbitStackOptions = {
  /** https://api.upbit.com, or the simulator's http://127.0.0.1:PORT */
  baseUrl: string;
  /** Both or neither; without keys only Quotation calls work. */
  accessKey?: string;
  secretKey?: string;
  alg?: UpbitJwtAlg;
  timeoutMs: number;
  /** Extra attempts for reads (default 2). */
  retries?: number;
  clock?: Clock;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  logger?: Pick<Logger, 'debug' | 'warn'>;
  /** Fraction kept under each documented rate limit (default 0.1). */
  safetyMargin?: number;
  failureThreshold?: number;
  coolDownMs?: number;
  /** 418 block length when the answer states none (UPBIT_418_FALLBACK_MS). */
  blockFallbackMs?: number;
  /** What a 418 blocks: every group (default) or only the one that got it (UPBIT_418_SCOPE). */
  blockScope?: BlockScope;
};

export type UpbitStack = {
  exchange: UpbitExchange;
  client: UpbitRestClient;
  limiter: RateLimiter;
  breaker: CircuitBreaker;
  /** Null without keys; `auth.wsAuthorization` is the private WebSocket's `authorize`. */
  auth: UpbitAuth | null;
};

export function createUpbitStack(o: UpbitStackOptions): UpbitStack {
  const now = o.clock ? () => o.clock!.now() : Date.now;
  const auth = o.accessKey && o.secretKey ? createUpbitAuth({ accessKey: o.accessKey, secretKey: o.secretKey, alg: o.alg }) : null;
  const limiter = createRateLimiter({ now, sleep: o.sleep, random: o.random, safetyMargin: o.safetyMargin, blockScope: o.blockScope });
  const breaker = createCircuitBreaker({ now, failureThreshold: o.failureThreshold, coolDownMs: o.coolDownMs });
  const client = createUpbitRestClient({
    baseUrl: o.baseUrl,
    auth: auth ?? undefined,
    fetch: o.fetch,
    clock: o.clock,
    sleep: o.sleep,
    random: o.random,
    timeoutMs: o.timeoutMs,
    retries: o.retries ?? 2,
    blockFallbackMs: o.blockFallbackMs,
    limiter,
    breaker,
    logger: o.logger,
  });
  return { exchange: createUpbitExchange({ client, logger: o.logger }), client, limiter, breaker, auth };
}
