// The outbox flow: publish() only inserts rows (one per channel, plus the events-table line); dispatchDue() delivers them.
// Delivery is at least once and, short of a crash between a channel's "ok" and the db update, exactly once.
import type { Clock } from '../clock.ts';
import type { Db } from '../db/client.ts';
import type { EventsRepo } from '../db/repos/events.ts';
import type { OutboxRepo, OutboxRow } from '../db/repos/outbox.ts';
import type { Logger } from '../log.ts';
import { EVENT_LEVEL, type BotEvent } from './events.ts';
import { formatEvent, type Locale } from './format.ts';
import { errorText } from '../error-text.ts';
import { createFanOut, retryAfterMsOf, sendWithTimeout, type EventPublisher, type Notifier } from './notifier.ts';

export type OutboxOptions = {
  /** Attempts before a row is given up (status 'failed'). */
  maxAttempts: number;
  /** First retry delay; doubles per attempt up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** How long a claimed row is hidden from other dispatchers; must exceed sendTimeoutMs. */
  leaseMs: number;
  sendTimeoutMs: number;
  batchSize: number;
  /** When the outbox cannot be written, an event is sent directly instead, at most once per kind and market per this. */
  directRepeatMs: number;
};

export const DEFAULT_OUTBOX_OPTIONS: OutboxOptions = {
  maxAttempts: 10,
  baseDelayMs: 5_000,
  maxDelayMs: 30 * 60_000,
  leaseMs: 120_000,
  sendTimeoutMs: 30_000,
  batchSize: 50,
  directRepeatMs: 5 * 60_000,
};

export type OutboxDeps = {
  db: Db;
  outbox: OutboxRepo;
  /** When given, every published event is also written to the events table (the dashboard's log). */
  events?: EventsRepo;
  channels: readonly Notifier[];
  locale: Locale;
  clock: Clock;
  logger: Logger;
  options?: Partial<OutboxOptions>;
};

export type DispatchReport = { sent: number; retried: number; failed: number; deferred: number; lost: number };

export type Outbox = EventPublisher & {
  /** Delivers the rows due at `now`; channels run in parallel, rows of one channel in order. */
  dispatchDue(now?: number): Promise<DispatchReport>;
};

/** Delay before attempt n+1 after n failed attempts: base × 2^(n−1), capped. */
export const backoffMs = (attempts: number, o: Pick<OutboxOptions, 'baseDelayMs' | 'maxDelayMs'>): number =>
  Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** Math.max(0, attempts - 1));

export function createOutbox(deps: OutboxDeps): Outbox {
  const o: OutboxOptions = { ...DEFAULT_OUTBOX_OPTIONS, ...deps.options };
  const byName = new Map(deps.channels.map((c) => [c.name, c]));
  const log = deps.logger;
  const fanOut = createFanOut({ channels: deps.channels, locale: deps.locale, logger: log, timeoutMs: o.sendTimeoutMs });
  const directAt = new Map<string, number>();

  async function publish(event: BotEvent): Promise<void> {
    try {
      const payloadJson = JSON.stringify(event);
      const rows = deps.channels.map((c) => ({ channel: c.name, eventType: event.type, payloadJson, createdAt: event.at }));
      const line = deps.events?.appendQuery({
        at: event.at,
        level: EVENT_LEVEL[event.type],
        kind: event.type,
        message: formatEvent(event, { locale: deps.locale }),
        data: event,
      });
      const queries = [...(line ? [line] : []), ...(rows.length > 0 ? [deps.outbox.enqueueQuery(rows)] : [])];
      const [first, ...rest] = queries;
      if (first) await deps.db.batch([first, ...rest]);
    } catch (err) {
      log.error({ err, event: event.type }, 'could not queue a notification; sending it directly');
      await sendDirectly(event);
    }
  }

  /**
   * The db refused the outbox rows (a full disk, a read-only card): the owner must still hear of a halt
   * or a failed exit. One try per channel, no retries, and at most one per event kind and market per
   * directRepeatMs, so a db that stays down cannot flood the chat.
   */
  async function sendDirectly(event: BotEvent): Promise<void> {
    const key = `${event.type}:${'market' in event ? event.market : ''}`;
    const now = deps.clock.now();
    const last = directAt.get(key);
    if (last !== undefined && now - last < o.directRepeatMs) return;
    directAt.set(key, now);
    await fanOut.send(event);
  }

  /** One attempt at one row; returns what happened to it. */
  async function deliver(row: OutboxRow, channel: Notifier, now: number): Promise<keyof DispatchReport | 'taken'> {
    if (!(await deps.outbox.claim(row, now + o.leaseMs))) return 'taken';
    const attempts = row.attempts + 1;
    let event: BotEvent;
    try {
      event = JSON.parse(row.payloadJson) as BotEvent;
    } catch (err) {
      await deps.outbox.markFailed(row.id, `Unreadable payload: ${errorText(err)}`);
      log.error({ outboxId: row.id, channel: row.channel }, 'notification payload unreadable; given up');
      return 'failed';
    }
    try {
      const text = formatEvent(event, { locale: deps.locale, format: channel.format ?? 'text' });
      await sendWithTimeout(channel, event, text, o.sendTimeoutMs);
    } catch (err) {
      const error = errorText(err);
      if (attempts >= o.maxAttempts) {
        await deps.outbox.markFailed(row.id, error);
        log.error({ outboxId: row.id, channel: row.channel, event: row.eventType, attempts, err }, 'notification given up');
        return 'failed';
      }
      const next = deps.clock.now() + Math.max(backoffMs(attempts, o), retryAfterMsOf(err) ?? 0);
      await deps.outbox.markRetry(row.id, next, error);
      log.warn({ outboxId: row.id, channel: row.channel, event: row.eventType, attempts, nextAttemptAt: next, err }, 'notification failed; will retry');
      return 'retried';
    }
    const marked = await deps.outbox.markSent(row.id, deps.clock.now());
    if (!marked) log.warn({ outboxId: row.id, channel: row.channel }, 'notification sent but its row was no longer pending');
    return 'sent';
  }

  /** Rows of one channel in order; after the first failure the rest wait for the next round. */
  async function drainChannel(name: string, rows: OutboxRow[], now: number, report: DispatchReport): Promise<void> {
    const channel = byName.get(name);
    for (const [i, row] of rows.entries()) {
      if (!channel) {
        if (await deps.outbox.markFailed(row.id, `No channel named ${name} is configured`)) report.lost += 1;
        continue;
      }
      const outcome = await deliver(row, channel, now);
      if (outcome === 'taken') continue;
      report[outcome] += 1;
      if (outcome !== 'sent') {
        report.deferred += rows.length - i - 1;
        return;
      }
    }
    if (!channel && rows.length > 0) log.error({ channel: name, rows: rows.length }, 'notifications for an unconfigured channel given up');
  }

  return {
    publish,
    async dispatchDue(now = deps.clock.now()) {
      const report: DispatchReport = { sent: 0, retried: 0, failed: 0, deferred: 0, lost: 0 };
      const due = await deps.outbox.listDue(now, o.batchSize);
      const groups = new Map<string, OutboxRow[]>();
      for (const row of due) groups.set(row.channel, [...(groups.get(row.channel) ?? []), row]);
      await Promise.all([...groups].map(([name, rows]) => drainChannel(name, rows, now, report)));
      return report;
    },
  };
}
