// Tells the owner when a strategy exit does not go through: the first failure at once, then a reminder every repeatMs while it keeps failing.
import type { Clock } from '../clock.ts';
import type { ExitReason, MarketCode } from '../core/types.ts';
import type { EventPublisher } from '../notify/notifier.ts';
import type { CloseReason } from './executor-types.ts';
import type { TradingMode } from './view.ts';

export type ExitAlerts = {
  /** One failed attempt of an exit; publishes `exit-failed` when the owner has not heard of this market's streak for repeatMs. */
  failed(market: MarketCode, reason: CloseReason, detail: string, retryInMs?: number): Promise<void>;
  /** The exit went through (or the position is gone): the streak ends. */
  ended(market: MarketCode): void;
};

export type ExitAlertsDeps = {
  clock: Clock;
  publisher: EventPublisher;
  mode: TradingMode;
  /** Pause before the exit is tried again (shown in the message). */
  retryMs: number;
  /** Reminder interval while the same exit keeps failing. Default 10 minutes. */
  repeatMs?: number;
};

const STRATEGY_REASONS: ReadonlySet<CloseReason> = new Set<ExitReason>(['take-profit', 'stop-loss', 'trailing-stop', 'max-hold', 'manual', 'end-of-data']);
const isStrategyReason = (r: CloseReason): r is ExitReason => STRATEGY_REASONS.has(r);

export function createExitAlerts(deps: ExitAlertsDeps): ExitAlerts {
  const repeatMs = deps.repeatMs ?? 10 * 60_000;
  const streaks = new Map<MarketCode, { failures: number; toldAt: number | null }>();
  return {
    async failed(market, reason, detail, retryInMs = deps.retryMs) {
      const now = deps.clock.now();
      const s = streaks.get(market) ?? { failures: 0, toldAt: null };
      s.failures += 1;
      streaks.set(market, s);
      // Owner sells (sell-all, shutdown) answer their caller; only the strategy's own exits need telling.
      if (!isStrategyReason(reason) || (s.toldAt !== null && now - s.toldAt < repeatMs)) return;
      s.toldAt = now;
      await deps.publisher.publish({ type: 'exit-failed', mode: deps.mode, at: now, market, reason, detail, failures: s.failures, retryInMs });
    },
    ended: (market) => void streaks.delete(market),
  };
}
