// Upbit error responses → the app's exchange errors, by ONE lookup table on (HTTP status, error.name) (upbit-api.md §6).
import {
  AuthFailed,
  DuplicateIdentifier,
  type ExchangeError,
  type ExchangeErrorDetails,
  InsufficientFunds,
  InvalidOrder,
  IpNotAllowed,
  MarketOffline,
  MinimumTotal,
  OrderNotFound,
  OutOfScope,
  RateLimited,
  Timeout,
  Unavailable,
} from '../errors.ts';

type ErrorCtor = new (message: string, details?: ExchangeErrorDetails & { retryAfterMs?: number }) => ExchangeError;
type StatusMatch = number | '4xx' | '5xx' | '*';
export type ErrorRow = { status: StatusMatch; name: string; error: ErrorCtor };

/** First match wins: specific names first, then status-wide fallbacks. `*` matches anything (also no name). */
export const ERROR_TABLE: ReadonlyArray<ErrorRow> = [
  ...(['create_ask_error', 'create_bid_error', 'over_krw_funds_bid', 'invalid_price_bid', 'invalid_price_ask',
    'invalid_time_in_force', 'invalid_post_only', 'validation_error', 'invalid_parameter', 'notfoundmarket',
    'withdraw_address_not_registered'] as const).map((name) => ({ status: '*' as const, name, error: InvalidOrder })),
  { status: '*', name: 'insufficient_funds_ask', error: InsufficientFunds },
  { status: '*', name: 'insufficient_funds_bid', error: InsufficientFunds },
  { status: '*', name: 'under_min_total_ask', error: MinimumTotal },
  { status: '*', name: 'under_min_total_bid', error: MinimumTotal },
  { status: '*', name: 'duplicated_identifier', error: DuplicateIdentifier },
  ...(['invalid_query_payload', 'jwt_verification', 'expired_access_key', 'nonce_used', 'no_authorization_token'] as const).map(
    (name) => ({ status: '*' as const, name, error: AuthFailed }),
  ),
  { status: '*', name: 'no_authorization_ip', error: IpNotAllowed },
  { status: '*', name: 'no_authorization_i_p', error: IpNotAllowed },
  { status: '*', name: 'out_of_scope', error: OutOfScope },
  { status: '*', name: 'open_api_withdraw_locked', error: OutOfScope },
  { status: '*', name: 'market_offline', error: MarketOffline },
  { status: '*', name: 'order_not_found', error: OrderNotFound },
  { status: '*', name: 'pocket_not_found', error: InvalidOrder },
  { status: '*', name: 'currency_not_found', error: InvalidOrder },
  { status: '*', name: 'internal_server_error', error: Unavailable },
  // Quotation errors carry a numeric name ({"error":{"name":400|404,…}}); they fall through to the status rows.
  { status: 401, name: '*', error: AuthFailed },
  { status: 403, name: '*', error: OutOfScope },
  { status: 408, name: '*', error: Timeout },
  { status: 418, name: '*', error: RateLimited },
  { status: 429, name: '*', error: RateLimited },
  { status: '5xx', name: '*', error: Unavailable },
  { status: '4xx', name: '*', error: InvalidOrder },
  { status: '*', name: '*', error: Unavailable },
];

const statusMatches = (m: StatusMatch, status: number) =>
  m === '*' || m === status || (m === '4xx' && status >= 400 && status < 500) || (m === '5xx' && status >= 500 && status < 600);

export function lookupError(status: number, name: string | null): ErrorCtor {
  const row = ERROR_TABLE.find((r) => statusMatches(r.status, status) && (r.name === '*' || r.name === name));
  return row ? row.error : Unavailable;
}

/** The raw HTTP failure, kept as `cause` of every mapped error. Holds no request headers. */
export class UpbitHttpError extends Error {
  override readonly name = 'UpbitHttpError';
  constructor(
    readonly status: number,
    readonly errorName: string | null,
    readonly errorMessage: string | null,
    readonly body: string,
  ) {
    super(`Upbit answered HTTP ${status}${errorName ? ` ${errorName}` : ''}${errorMessage ? `: ${errorMessage}` : ''}`);
  }
}

/** Masks anything that looks like a bearer token or JWT, in case a server echoes one. */
export const scrub = (text: string): string =>
  text.replace(/Bearer\s+\S+/gi, 'Bearer [Redacted]').replace(/eyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]*/g, '[Redacted JWT]');

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);

/** Parses `{"error":{"name":…,"message":…}}`; a non-JSON body (e.g. a plain-text 429) gives nulls. */
export function parseErrorBody(body: string): { name: string | null; message: string | null } {
  try {
    const parsed = JSON.parse(body) as { error?: { name?: unknown; message?: unknown } };
    const e = parsed?.error;
    if (e && typeof e === 'object') {
      const name = typeof e.name === 'string' || typeof e.name === 'number' ? String(e.name) : null;
      return { name, message: typeof e.message === 'string' ? e.message : null };
    }
  } catch {
    // not JSON: fall through
  }
  return { name: null, message: null };
}

/** The shortest 418 block honoured, whatever the answer says (a stated 0 must not let a backfill burst into the ban). */
export const MIN_BLOCK_MS = 1_000;
/** The 418 block assumed when the answer states no length (UNCONFIRMED upstream; UPBIT_418_FALLBACK_MS). */
export const DEFAULT_BLOCK_FALLBACK_MS = 60_000;

/**
 * Milliseconds from a Retry-After header (delay-seconds or an HTTP date ending in GMT) or a "Blocked for N seconds"
 * message; null when neither says. Anything else is no answer: JS's Date.parse reads "-5" or "1" as a date in 2001.
 */
export function parseRetryAfterMs(retryAfter: string | null | undefined, message: string | null, nowMs: number): number | null {
  const header = retryAfter?.trim() ?? '';
  if (/^\d+(?:\.\d+)?$/.test(header)) return Math.round(Number(header) * 1000);
  if (/[a-z]{3}.*\d{2}:\d{2}:\d{2} GMT$/i.test(header)) {
    const at = Date.parse(header);
    if (Number.isFinite(at)) return Math.max(0, at - nowMs);
  }
  const m = message?.match(/(\d+(?:\.\d+)?)\s*(?:seconds?|secs?|s|초)(?![a-z])/i);
  return m ? Math.round(Number(m[1]) * 1000) : null;
}

export type HttpFailure = {
  status: number;
  body: string;
  retryAfter?: string | null;
  /** e.g. "POST /v1/orders" */
  endpoint: string;
  /** The request's own values, e.g. "market=KRW-BTC&side=bid" (never headers). */
  params?: string;
};

export type MapOptions = { nowMs?: number; blockFallbackMs?: number };

/** Translates an HTTP error response into the app's error class, keeping the raw failure as `cause`. */
export function mapHttpError(f: HttpFailure, opts: MapOptions = {}): ExchangeError {
  const { name, message } = parseErrorBody(f.body);
  const cause = new UpbitHttpError(f.status, name, message && scrub(message), clip(scrub(f.body), 500));
  const Ctor = lookupError(f.status, name);
  const withValues = f.params ? ` with ${clip(scrub(f.params), 200)}` : '';
  const said = message ?? (name ? null : clip(f.body.trim(), 120));
  const head = name ? `${f.status} ${name}` : String(f.status);
  const detail = said ? `${head}: ${said.replace(/[.\s]+$/, '')}` : head;
  const text = `Could not ${f.endpoint}${withValues}: ${clip(scrub(detail), 300)}`;
  const details: ExchangeErrorDetails & { retryAfterMs?: number } = { status: f.status, code: name ?? undefined, endpoint: f.endpoint, cause };
  if (Ctor === RateLimited) {
    const ms = parseRetryAfterMs(f.retryAfter, message ?? f.body, opts.nowMs ?? Date.now());
    if (f.status === 418) details.retryAfterMs = Math.max(MIN_BLOCK_MS, ms ?? opts.blockFallbackMs ?? DEFAULT_BLOCK_FALLBACK_MS);
    else if (ms !== null) details.retryAfterMs = ms;
  }
  return new Ctor(text, details);
}

/** Translates a transport failure (our timeout, a dropped connection, DNS…) into Timeout or Unavailable. */
export function mapTransportError(error: unknown, endpoint: string, isTimeout: boolean, params?: string): ExchangeError {
  const withValues = params ? ` with ${clip(scrub(params), 200)}` : '';
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const Ctor = isTimeout ? Timeout : Unavailable;
  return new Ctor(`Could not ${endpoint}${withValues}: ${isTimeout ? 'timed out' : 'connection failed'}: ${clip(scrub(reason), 200)}`, {
    endpoint,
    cause: error,
  });
}
