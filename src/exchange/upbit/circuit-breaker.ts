// Circuit breaker for the Upbit client: fail fast after N consecutive transport failures, then probe once.
import type { ExchangeHealth } from '../exchange.ts';
import { Timeout, Unavailable } from '../errors.ts';

export type CircuitBreakerOptions = {
  /** Consecutive failures that open the circuit (default 5). */
  failureThreshold?: number;
  /** How long the circuit stays open before one probe is let through (default 30 s). */
  coolDownMs?: number;
  now?: () => number;
  /** Which errors count as failures; by default the transport ones (Timeout, Unavailable). */
  isFailure?: (error: unknown) => boolean;
};

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreaker {
  /** Throws Unavailable while open (or while the half-open probe is out); otherwise lets the call through. */
  beforeRequest(endpoint?: string): void;
  /** The exchange answered (success, or a rejection that proves it is up). */
  onSuccess(): void;
  /** The call failed; counted only when isFailure(error). */
  onFailure(error: unknown): void;
  state(): CircuitState;
  health(): ExchangeHealth;
}

// Rejections (400s) and rate limits are answers from a healthy exchange: they never open the circuit.
const defaultIsFailure = (e: unknown) => e instanceof Timeout || e instanceof Unavailable;

export function createCircuitBreaker(opts: CircuitBreakerOptions = {}): CircuitBreaker {
  const threshold = opts.failureThreshold ?? 5;
  const coolDownMs = opts.coolDownMs ?? 30_000;
  const now = opts.now ?? Date.now;
  const isFailure = opts.isFailure ?? defaultIsFailure;
  let failures = 0;
  let openedAt: number | null = null;
  let isProbeOut = false;
  let probeAt = 0;
  let lastError: string | null = null;

  const reset = () => {
    failures = 0;
    openedAt = null;
    isProbeOut = false;
    lastError = null;
  };
  const state = (): CircuitState => {
    if (openedAt === null) return 'closed';
    return now() - openedAt >= coolDownMs ? 'half-open' : 'open';
  };

  return {
    beforeRequest(endpoint) {
      const s = state();
      if (s === 'closed') return;
      // A probe that never reported back (e.g. it failed before sending) is replaced after one cool-down.
      if (s === 'half-open' && (!isProbeOut || now() - probeAt >= coolDownMs)) {
        isProbeOut = true;
        probeAt = now();
        return;
      }
      const retryAt = s === 'open' ? openedAt! + coolDownMs : now() + 1_000;
      throw new Unavailable(
        `Cannot call Upbit${endpoint ? ` ${endpoint}` : ''}: circuit open after ${failures} consecutive failures, retry after ${new Date(retryAt).toISOString()}`,
        { endpoint, code: 'circuit_open' },
      );
    },
    onSuccess: reset,
    onFailure(error) {
      if (!isFailure(error)) {
        reset();
        return;
      }
      failures += 1;
      lastError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      if (isProbeOut || failures >= threshold) openedAt = now();
      isProbeOut = false;
    },
    state,
    health() {
      const s = state();
      const isDegraded = s !== 'closed';
      return {
        isDegraded,
        reason: isDegraded ? `circuit ${s} after ${failures} consecutive failures; last: ${lastError}` : null,
        consecutiveFailures: failures,
        retryAt: openedAt === null ? null : openedAt + coolDownMs,
      };
    },
  };
}
