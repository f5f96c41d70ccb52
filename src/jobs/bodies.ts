// Job bodies that belong to no other module: the 00:00 KST daily reset (summary + limit reset) and pruning.
import type { TradingMode } from '../bot/view.ts';
import type { Clock } from '../clock.ts';
import { DAY_MS, kstDayOf, previousKstDay } from '../core/time.ts';
import type { DailyPnlRepo } from '../db/repos/daily-pnl.ts';
import type { EventsRepo } from '../db/repos/events.ts';
import type { OutboxRepo } from '../db/repos/outbox.ts';
import type { EventPublisher } from '../notify/notifier.ts';

export type DailyResetDeps = {
  clock: Clock;
  mode: TradingMode;
  dailyPnl: Pick<DailyPnlRepo, 'get'>;
  publisher: EventPublisher;
  /** Current equity (KRW + holdings at market), for the summary. */
  equityKrw(): Promise<number>;
};

/**
 * At 00:00 KST: the summary of the day that just ended, and a "limit reset" note when that day hit the
 * loss limit. The limit itself needs no reset: risk reads today's row, which starts at zero.
 */
export function createDailyReset(deps: DailyResetDeps) {
  return async (): Promise<{ day: string; trades: number; wasLimitHit: boolean }> => {
    const now = deps.clock.now();
    const today = kstDayOf(now);
    const ended = previousKstDay(today);
    const book = await deps.dailyPnl.get(ended);
    const { mode } = deps;
    await deps.publisher.publish({
      type: 'daily-summary', mode, at: now, day: ended, trades: book.trades, wins: book.wins, losses: book.losses,
      pnlKrw: book.realisedKrw, equityKrw: await deps.equityKrw(),
    });
    if (book.limitHitAt !== null) await deps.publisher.publish({ type: 'daily-limit-reset', mode, at: now, day: today });
    return { day: ended, trades: book.trades, wasLimitHit: book.limitHitAt !== null };
  };
}

export type PruneDeps = {
  clock: Clock;
  events: Pick<EventsRepo, 'prune'>;
  outbox: Pick<OutboxRepo, 'prune'>;
  /** Events older than this many days go. Default 30. */
  keepEventsDays?: number;
  /** Delivered or failed notifications older than this many days go. Default 7. */
  keepOutboxDays?: number;
};

export function createPrune(deps: PruneDeps) {
  return async (): Promise<{ events: number; outbox: number }> => {
    const now = deps.clock.now();
    const events = await deps.events.prune(now - (deps.keepEventsDays ?? 30) * DAY_MS);
    const outbox = await deps.outbox.prune(now - (deps.keepOutboxDays ?? 7) * DAY_MS);
    return { events, outbox };
  };
}
