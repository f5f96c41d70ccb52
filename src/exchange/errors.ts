// Exchange error families: Retryable (try again later), Rejected (the exchange said no), Fatal (a person must act).
// Only bot/run-guarded decides what to do with them; adapters only translate vendor errors into these.

export type ErrorFamily = 'retryable' | 'rejected' | 'fatal';

export type ExchangeErrorDetails = {
  /** HTTP status, when the error came from a response. */
  status?: number;
  /** The vendor's error code (Upbit `error.name`), when there was one. */
  code?: string;
  /** Endpoint, e.g. "GET /v1/order". Never includes credentials. */
  endpoint?: string;
  cause?: unknown;
};

export abstract class ExchangeError extends Error {
  abstract readonly family: ErrorFamily;
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly endpoint: string | undefined;
  constructor(message: string, details: ExchangeErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.status = details.status;
    this.code = details.code;
    this.endpoint = details.endpoint;
  }
}

export abstract class RetryableError extends ExchangeError {
  readonly family = 'retryable' as const;
}
export abstract class RejectedError extends ExchangeError {
  readonly family = 'rejected' as const;
}
export abstract class FatalError extends ExchangeError {
  readonly family = 'fatal' as const;
}

export class RateLimited extends RetryableError {
  override readonly name = 'RateLimited';
  /** Milliseconds the caller should wait; set for a 418 block. */
  readonly retryAfterMs: number | undefined;
  constructor(message: string, details: ExchangeErrorDetails & { retryAfterMs?: number } = {}) {
    super(message, details);
    this.retryAfterMs = details.retryAfterMs;
  }
}
export class Unavailable extends RetryableError {
  override readonly name = 'Unavailable';
}
export class Timeout extends RetryableError {
  override readonly name = 'Timeout';
}

export class InsufficientFunds extends RejectedError {
  override readonly name = 'InsufficientFunds';
}
export class InvalidOrder extends RejectedError {
  override readonly name = 'InvalidOrder';
}
export class MinimumTotal extends RejectedError {
  override readonly name = 'MinimumTotal';
}
export class MarketOffline extends RejectedError {
  override readonly name = 'MarketOffline';
}
export class OrderNotFound extends RejectedError {
  override readonly name = 'OrderNotFound';
}
export class DuplicateIdentifier extends RejectedError {
  override readonly name = 'DuplicateIdentifier';
}

export class AuthFailed extends FatalError {
  override readonly name = 'AuthFailed';
}
export class IpNotAllowed extends FatalError {
  override readonly name = 'IpNotAllowed';
}
export class OutOfScope extends FatalError {
  override readonly name = 'OutOfScope';
}

export const isRetryable = (e: unknown): e is RetryableError => e instanceof RetryableError;
export const isRejected = (e: unknown): e is RejectedError => e instanceof RejectedError;
export const isFatal = (e: unknown): e is FatalError => e instanceof FatalError;
