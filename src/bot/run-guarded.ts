// The ONE place that decides what exchange errors mean for the bot: retry later, skip with an event, or halt and notify.
// The executor resolves an order's unknown outcome itself (by identifier); this guards whole rounds and jobs.
import type { Clock } from '../clock.ts';
import type { EventsRepo } from '../db/repos/events.ts';
import { AuthFailed, ExchangeError, IpNotAllowed, isFatal, isRejected, isRetryable, OutOfScope, RateLimited } from '../exchange/errors.ts';
import { errorText, rootErrorText } from '../error-text.ts';
import type { Logger } from '../log.ts';
import type { HaltCode } from '../notify/events.ts';
import { createLogOnce } from './log-once.ts';
import type { BotState } from './state.ts';

export type ErrorVerdict =
  | { action: 'retry'; retryAfterMs: number | null }
  | { action: 'skip' }
  | { action: 'halt'; code: HaltCode }
  /** An unexpected error that is not yet "repeated": logged, the round is lost. */
  | { action: 'fail' };

/** Pure policy. `unknownInARow` counts this error too. */
export function classifyError(err: unknown, unknownInARow: number, maxUnknownInARow: number): ErrorVerdict {
  if (isRetryable(err)) return { action: 'retry', retryAfterMs: err instanceof RateLimited ? (err.retryAfterMs ?? null) : null };
  if (isRejected(err)) return { action: 'skip' };
  if (isFatal(err)) return { action: 'halt', code: haltCodeOf(err) };
  return unknownInARow >= maxUnknownInARow ? { action: 'halt', code: 'repeated-errors' } : { action: 'fail' };
}

function haltCodeOf(err: ExchangeError): HaltCode {
  if (err instanceof AuthFailed) return 'auth-failed';
  if (err instanceof IpNotAllowed) return 'ip-not-allowed';
  if (err instanceof OutOfScope) return 'out-of-scope';
  return 'other';
}

export type GuardOutcome<T> =
  | { kind: 'ok'; value: T }
  | { kind: 'retry'; error: ExchangeError; retryAfterMs: number | null }
  | { kind: 'skipped'; error: ExchangeError }
  | { kind: 'failed'; error: unknown; unknownInARow: number }
  | { kind: 'halted'; error: unknown; code: HaltCode };

export type RunGuardedDeps = {
  logger: Logger;
  clock: Clock;
  botState: Pick<BotState, 'halt'>;
  events: Pick<EventsRepo, 'append'>;
  /** Unexpected errors in a row (per label) that halt the bot. Default 3. */
  maxUnknownInARow?: number;
  /** A repeated retryable warning is logged once per this window. Default 60 s. */
  logWindowMs?: number;
};

export type RunGuarded = {
  /** Runs `fn`; never throws. `label` names the round ('candle-close', 'reconcile', 'sell KRW-BTC', …). */
  run<T>(label: string, fn: () => Promise<T>): Promise<GuardOutcome<T>>;
  unknownInARow(label: string): number;
};

const details = (err: ExchangeError) => ({ name: err.name, code: err.code, status: err.status, endpoint: err.endpoint });

export function createRunGuarded(deps: RunGuardedDeps): RunGuarded {
  const { logger, clock } = deps;
  const maxUnknown = deps.maxUnknownInARow ?? 3;
  const logOnce = createLogOnce(clock, deps.logWindowMs ?? 60_000);
  const streaks = new Map<string, number>();

  async function handle<T>(label: string, err: unknown): Promise<GuardOutcome<T>> {
    const isUnknown = !(err instanceof ExchangeError);
    const streak = isUnknown ? (streaks.get(label) ?? 0) + 1 : 0;
    streaks.set(label, streak);
    const verdict = classifyError(err, streak, maxUnknown);
    switch (verdict.action) {
      case 'retry': {
        const e = err as ExchangeError;
        logOnce.once(`${label}:${e.name}`, (suppressed) =>
          logger.warn({ round: label, err: e, retryAfterMs: verdict.retryAfterMs, suppressed }, 'exchange busy or unreachable; skipping this round'),
        );
        return { kind: 'retry', error: e, retryAfterMs: verdict.retryAfterMs };
      }
      case 'skip': {
        const e = err as ExchangeError;
        logger.warn({ round: label, err: e }, 'exchange rejected the request; skipped');
        await deps.events
          .append({ at: clock.now(), level: 'warn', kind: 'rejected', message: `${label}: ${errorText(e)}`, data: { round: label, ...details(e) } })
          .catch((appendErr: unknown) => logger.error({ err: appendErr }, 'could not store the rejection event'));
        return { kind: 'skipped', error: e };
      }
      case 'halt': {
        const detail = verdict.code === 'repeated-errors' ? `${label}: ${streak} unexpected errors in a row; last ${rootErrorText(err)}` : `${label}: ${rootErrorText(err)}`;
        logger.error({ round: label, err, code: verdict.code }, 'halting the bot');
        streaks.set(label, 0);
        await deps.botState.halt(verdict.code, detail);
        return { kind: 'halted', error: err, code: verdict.code };
      }
      case 'fail':
        logger.error({ round: label, err, unknownInARow: streak }, 'unexpected error; round lost');
        return { kind: 'failed', error: err, unknownInARow: streak };
    }
  }

  return {
    async run(label, fn) {
      try {
        const value = await fn();
        streaks.set(label, 0);
        return { kind: 'ok', value };
      } catch (err) {
        return handle(label, err);
      }
    },
    unknownInARow: (label) => streaks.get(label) ?? 0,
  };
}
