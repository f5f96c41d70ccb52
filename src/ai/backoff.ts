// Rate-limit backoff for the adviser: after a 429 no request is made until the window passes; doubles, capped, reset on success.

export type BackoffOptions = { initialMs: number; maxMs: number };
export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 60_000, maxMs: 30 * 60_000 };

export type Backoff = {
  /** Epoch ms until which no request should be made, or null when calls are allowed at `now`. */
  blockedUntil(now: number): number | null;
  /** A 429 at `now`; `hintMs` is the server's retry delay when it gave one. Returns the wait applied. */
  fail(now: number, hintMs?: number | null): number;
  succeed(): void;
};

export function createBackoff(opts: BackoffOptions = DEFAULT_BACKOFF): Backoff {
  let until = 0;
  let nextMs = opts.initialMs;
  return {
    blockedUntil: (now) => (now < until ? until : null),
    fail(now, hintMs) {
      const waitMs = Math.min(opts.maxMs, Math.max(nextMs, hintMs ?? 0));
      until = now + waitMs;
      nextMs = Math.min(opts.maxMs, nextMs * 2);
      return waitMs;
    },
    succeed() {
      until = 0;
      nextMs = opts.initialMs;
    },
  };
}

/*
 * Raw sample (the ApiError message of a Gemini 429, trimmed):
 * {"error":{"code":429,"status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"37s"}]}}
 */
export function parseRetryDelayMs(message: string): number | null {
  const m = /"retryDelay"\s*:\s*"(\d+(?:\.\d+)?)s"/.exec(message);
  return m ? Math.round(Number(m[1]) * 1_000) : null;
}
