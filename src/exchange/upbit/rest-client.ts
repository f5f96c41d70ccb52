// Upbit REST transport: per-attempt timeout, rate limiter, circuit breaker, JWT per attempt, retries for reads only.
import type { Clock } from '../../clock.ts';
import type { Logger } from '../../log.ts';
import type { ExchangeHealth } from '../exchange.ts';
import { AuthFailed, type ExchangeError, isRetryable, RateLimited, Timeout, Unavailable } from '../errors.ts';
import type { UpbitAuth } from './auth.ts';
import type { CircuitBreaker } from './circuit-breaker.ts';
import { endpointInfo, RATE_GROUPS, type RateGroup } from './endpoints.ts';
import { DEFAULT_BLOCK_FALLBACK_MS, mapHttpError, mapTransportError } from './error-map.ts';
import { normalizeBody, rawQuery, wireQuery, type BodyParams, type QueryParams } from './query.ts';
import type { RateLimiter } from './rate-limiter.ts';

export type HttpMethod = 'GET' | 'POST' | 'DELETE';
export type RequestOptions = { query?: QueryParams; body?: BodyParams; isPrivate?: boolean };

export type UpbitRestClientOptions = {
  /** e.g. https://api.upbit.com (paths carry /v1/…). */
  baseUrl: string;
  /** Required for private endpoints. */
  auth?: UpbitAuth;
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  clock?: Clock;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Per attempt, covering the response body too. */
  timeoutMs: number;
  /** Extra attempts for retryable failures of reads (GET/DELETE) and POST /v1/orders/test. */
  retries: number;
  /** Full-jitter exponential back-off between attempts: random × min(maxMs, baseMs × 2^i). */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** 418 block length when the response states none (UNCONFIRMED upstream; UPBIT_418_FALLBACK_MS). Default 60 s. */
  blockFallbackMs?: number;
  limiter: RateLimiter;
  breaker: CircuitBreaker;
  logger?: Pick<Logger, 'debug' | 'warn'>;
};

export type GroupStats = { requests: number; tooManyRequests: number; blocked: number; failures: number };
export type RestStats = Record<RateGroup, GroupStats>;

/** POST /v1/orders failed after it may have reached Upbit (timeout, 5xx, dropped connection). Never re-post. */
export class OrderOutcomeUnknown extends Error {
  override readonly name = 'OrderOutcomeUnknown';
  constructor(
    readonly identifier: string | null,
    cause: ExchangeError,
  ) {
    super(`Outcome of order ${identifier ?? '(no identifier)'} is unknown: ${cause.message}`, { cause });
  }
}

export type SubmitOrderResult = { status: 'accepted'; data: unknown } | { status: 'unknown'; identifier: string; cause: unknown };

export interface UpbitRestClient {
  /** Parsed JSON of a 2xx answer; throws an ExchangeError (or OrderOutcomeUnknown for POST /v1/orders). */
  request(method: HttpMethod, path: string, opts?: RequestOptions): Promise<unknown>;
  /** POST /v1/orders once; an ambiguous failure comes back as `unknown`, a definite one is thrown. */
  submitOrder(body: BodyParams): Promise<SubmitOrderResult>;
  stats(): RestStats;
  health(): ExchangeHealth;
}

const ORDER_PATH = '/v1/orders';
/** POSTs that are safe to repeat. */
const RETRYABLE_POSTS = new Set(['/v1/orders/test']);

const isTimeoutAbort = (e: unknown, signal: AbortSignal) =>
  (e instanceof Error && e.name === 'TimeoutError') || (signal.aborted && (signal.reason as Error | undefined)?.name === 'TimeoutError');

export function createUpbitRestClient(opts: UpbitRestClientOptions): UpbitRestClient {
  const fetchFn = opts.fetch ?? ((input: string, init: RequestInit) => fetch(input, init));
  const now = () => (opts.clock ? opts.clock.now() : Date.now());
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = opts.random ?? Math.random;
  const baseUrl = opts.baseUrl.replace(/\/+$/, '');
  const { limiter, breaker } = opts;
  const counters = Object.fromEntries(
    RATE_GROUPS.map((g) => [g, { requests: 0, tooManyRequests: 0, blocked: 0, failures: 0 }]),
  ) as RestStats;

  async function buildRequest(method: HttpMethod, path: string, ro: RequestOptions, auth: UpbitAuth | null) {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const query = ro.query ? wireQuery(ro.query) : '';
    const body = ro.body ? normalizeBody(ro.body) : undefined;
    if (body) headers['Content-Type'] = 'application/json; charset=utf-8';
    // A fresh JWT (and nonce) for every attempt; no Origin header ever (Origin-tagged calls get 1 per 10 s).
    if (auth) headers.Authorization = await auth.authorization(body ? { body } : ro.query ? { query: ro.query } : undefined);
    const url = `${baseUrl}${path}${query ? `?${query}` : ''}`;
    return { url, init: { method, headers, body: body ? JSON.stringify(body) : undefined } satisfies RequestInit };
  }

  type Call = { method: HttpMethod; path: string; ro: RequestOptions; group: RateGroup; endpoint: string; params?: string; stats: GroupStats };

  async function attempt(method: HttpMethod, path: string, ro: RequestOptions): Promise<unknown> {
    const { group, isPrivate: privateByTable } = endpointInfo(method, path);
    const isPrivate = ro.isPrivate ?? privateByTable;
    const endpoint = `${method} ${path}`;
    const params = ro.body ? rawQuery(normalizeBody(ro.body)) : ro.query ? rawQuery(ro.query) : undefined;
    if (isPrivate && !opts.auth) {
      throw new AuthFailed(`Could not ${endpoint}: no Upbit API keys are configured`, { endpoint, code: 'no_keys' });
    }
    await limiter.acquire(group);
    breaker.beforeRequest(endpoint);
    const { url, init } = await buildRequest(method, path, ro, isPrivate ? opts.auth! : null);
    const call: Call = { method, path, ro, group, endpoint, params, stats: counters[group] };
    call.stats.requests += 1;
    const signal = AbortSignal.timeout(opts.timeoutMs);
    let res: Response;
    let text: string;
    try {
      res = await fetchFn(url, { ...init, signal });
      text = await res.text();
    } catch (e) {
      return fail(call, mapTransportError(e, endpoint, isTimeoutAbort(e, signal), params));
    }
    return settle(call, res, text);
  }

  /** Feeds the answer to the limiter and breaker, then returns its JSON or throws the mapped error. */
  function settle(call: Call, res: Response, text: string): unknown {
    const { group, endpoint } = call;
    limiter.observe(res.headers.get('Remaining-Req'));
    if (res.status === 429) {
      call.stats.tooManyRequests += 1;
      limiter.onTooManyRequests(group);
    } else {
      limiter.onAnswered(group);
    }
    if (res.ok) {
      try {
        const data: unknown = text === '' ? null : JSON.parse(text);
        breaker.onSuccess();
        return data;
      } catch (e) {
        return fail(call, new Unavailable(`Could not ${endpoint}: the answer is not JSON`, { endpoint, status: res.status, cause: e }));
      }
    }
    const err = mapHttpError(
      { status: res.status, body: text, retryAfter: res.headers.get('Retry-After'), endpoint, params: call.params },
      { nowMs: now(), blockFallbackMs: opts.blockFallbackMs },
    );
    if (res.status === 418 && err instanceof RateLimited) {
      call.stats.blocked += 1;
      // mapHttpError has already applied the fallback (blockFallbackMs) and the minimum to a 418.
      limiter.onBlocked(group, err.retryAfterMs ?? DEFAULT_BLOCK_FALLBACK_MS);
      opts.logger?.warn({ group, retryAfterMs: err.retryAfterMs, endpoint }, 'Upbit blocked us (418): requests wait until the block ends');
    }
    return fail(call, err);
  }

  function fail(call: Call, err: ExchangeError): never {
    call.stats.failures += 1;
    breaker.onFailure(err);
    // After the request may have reached Upbit, a timeout or server failure leaves an order's fate unknown.
    if (call.method === 'POST' && call.path === ORDER_PATH && (err instanceof Timeout || err instanceof Unavailable)) {
      const id = call.ro.body?.identifier;
      throw new OrderOutcomeUnknown(typeof id === 'string' ? id : null, err);
    }
    throw err;
  }

  const canRetry = (method: HttpMethod, path: string) => method !== 'POST' || RETRYABLE_POSTS.has(path);
  const shouldRetry = (e: unknown) =>
    isRetryable(e) && !(e instanceof RateLimited && e.status === 418) && !(e instanceof Unavailable && e.code === 'circuit_open');

  async function request(method: HttpMethod, path: string, ro: RequestOptions = {}): Promise<unknown> {
    const attempts = canRetry(method, path) ? Math.max(0, opts.retries) + 1 : 1;
    for (let i = 0; ; i++) {
      try {
        return await attempt(method, path, ro);
      } catch (e) {
        if (i + 1 >= attempts || !shouldRetry(e)) throw e;
        const delay = Math.round(random() * Math.min(opts.retryMaxMs ?? 5_000, (opts.retryBaseMs ?? 200) * 2 ** i));
        opts.logger?.debug({ endpoint: `${method} ${path}`, attempt: i + 1, delayMs: delay, err: (e as Error).name }, 'retrying Upbit request');
        await sleep(delay);
      }
    }
  }

  return {
    request,
    async submitOrder(body) {
      try {
        return { status: 'accepted', data: await request('POST', ORDER_PATH, { body, isPrivate: true }) };
      } catch (e) {
        if (!(e instanceof OrderOutcomeUnknown)) throw e;
        opts.logger?.warn({ identifier: e.identifier, err: (e.cause as Error).name }, 'order outcome unknown');
        return { status: 'unknown', identifier: e.identifier ?? String(body.identifier ?? ''), cause: e.cause };
      }
    },
    stats: () => structuredClone(counters),
    health() {
      const h = breaker.health();
      const block = limiter.currentBlock();
      if (h.isDegraded || !block) return h;
      return { isDegraded: true, reason: block.reason, consecutiveFailures: h.consecutiveFailures, retryAt: block.until };
    },
  };
}
