// The events table ↔ the dashboard's log viewer: append, list newest first with a level filter, prune.
import { and, count, desc, gte, inArray, lt } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { EventView, Page } from '../../bot/view.ts';
import type { Db } from '../client.ts';
import { events } from '../schema.ts';

export type EventLevel = EventView['level'];
export type NewEvent = { at: number; level: EventLevel; kind: string; message: string; data?: unknown };

export const LEVELS: readonly EventLevel[] = ['debug', 'info', 'warn', 'error'];

/** The levels at or above `min` ('warn' → warn, error). */
export const levelsFrom = (min: EventLevel): EventLevel[] => LEVELS.slice(LEVELS.indexOf(min));

export type EventsRepo = {
  append(event: NewEvent): Promise<number>;
  /** The insert of one event, to run inside a db.batch (e.g. with its outbox rows). */
  appendQuery(event: NewEvent): BatchItem<'sqlite'>;
  appendMany(batch: NewEvent[]): Promise<void>;
  /** Newest first; `minLevel` keeps that level and louder ones. */
  list(q: { limit: number; offset?: number; minLevel?: EventLevel; since?: number }): Promise<Page<EventView>>;
  /** Deletes events older than `before` (epoch ms); returns how many went. */
  prune(before: number): Promise<number>;
};

const toRow = (e: NewEvent) => ({
  at: e.at,
  level: e.level,
  kind: e.kind,
  message: e.message,
  dataJson: e.data === undefined ? null : safeJson(e.data),
});

function safeJson(data: unknown): string {
  try {
    return JSON.stringify(data) ?? 'null';
  } catch {
    return JSON.stringify({ unserializable: String(data) });
  }
}

function parseData(json: string | null): unknown {
  if (json === null) return null;
  try {
    return JSON.parse(json);
  } catch {
    return json;
  }
}

export function createEventsRepo(db: Db): EventsRepo {
  return {
    async append(e) {
      const [row] = await db.insert(events).values(toRow(e)).returning({ id: events.id });
      return row!.id;
    },
    appendQuery: (e) => db.insert(events).values(toRow(e)),
    async appendMany(batch) {
      if (batch.length > 0) await db.insert(events).values(batch.map(toRow));
    },
    async list({ limit, offset = 0, minLevel, since }) {
      const where = and(
        minLevel && minLevel !== 'debug' ? inArray(events.level, levelsFrom(minLevel)) : undefined,
        since !== undefined ? gte(events.at, since) : undefined,
      );
      const rows = await db.select().from(events).where(where).orderBy(desc(events.at), desc(events.id)).limit(limit).offset(offset);
      const [total] = await db.select({ n: count() }).from(events).where(where);
      return {
        items: rows.map((r) => ({ id: r.id, at: r.at, level: r.level, kind: r.kind, message: r.message, data: parseData(r.dataJson) })),
        total: total?.n ?? 0,
        limit,
        offset,
      };
    },
    async prune(before) {
      const res = await db.delete(events).where(lt(events.at, before));
      return res.rowsAffected;
    },
  };
}
