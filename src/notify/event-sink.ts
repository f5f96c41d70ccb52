// A pino destination that queues warn+ log lines and flushes them in batches to the events table.
// write() never awaits and never logs (a log line from the sink would feed itself: ecosystem.md §9).
import type { DestinationStream } from 'pino';
import type { EventLevel, NewEvent } from '../db/repos/events.ts';

export type EventSinkDeps = {
  append(batch: NewEvent[]): Promise<void>;
  now(): number;
  /** Lines below this level are ignored. Default 'warn'. */
  minLevel?: EventLevel;
  /** Oldest lines are dropped beyond this many queued. Default 1000. */
  maxQueue?: number;
  /** Rows per insert; a full batch also starts a flush without waiting for the job. Default 100. */
  batchSize?: number;
};

export type EventSink = {
  stream: DestinationStream;
  /** Writes everything queued; resolves with the number of rows written. Never rejects. */
  flush(): Promise<number>;
  stats(): { queued: number; dropped: number; failures: number; lastError: string | null };
};

const RANK: Record<EventLevel, number> = { debug: 20, info: 30, warn: 40, error: 50 };
const PINO_LABELS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };
const RESERVED = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'kind', 'v']);

const toLevel = (n: number): EventLevel => (n >= 50 ? 'error' : n >= 40 ? 'warn' : n >= 30 ? 'info' : 'debug');

/** One pino JSON line → an events row, or null when it is below minLevel or not JSON. Pure. */
export function parseLogLine(line: string, minRank: number, now: number): NewEvent | null {
  let obj: Record<string, unknown>;
  try {
    obj = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (obj === null || typeof obj !== 'object') return null;
  const rank = typeof obj.level === 'number' ? obj.level : PINO_LABELS[String(obj.level)] ?? 0;
  if (rank < minRank) return null;
  const time = typeof obj.time === 'number' ? obj.time : typeof obj.time === 'string' ? Date.parse(obj.time) : Number.NaN;
  const data: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (!RESERVED.has(k)) data[k] = v;
  const kind = [obj.kind, obj.job, obj.event].find((v): v is string => typeof v === 'string') ?? 'log';
  return {
    at: Number.isFinite(time) ? time : now,
    level: toLevel(rank),
    kind,
    message: typeof obj.msg === 'string' ? obj.msg : '',
    ...(Object.keys(data).length > 0 ? { data } : {}),
  };
}

export function createEventSink(deps: EventSinkDeps): EventSink {
  const minRank = RANK[deps.minLevel ?? 'warn'];
  const maxQueue = deps.maxQueue ?? 1_000;
  const batchSize = deps.batchSize ?? 100;
  let queue: NewEvent[] = [];
  let dropped = 0;
  let failures = 0;
  let lastError: string | null = null;
  let inFlight: Promise<number> | null = null;

  const trim = () => {
    if (queue.length > maxQueue) {
      dropped += queue.length - maxQueue;
      queue = queue.slice(queue.length - maxQueue);
    }
  };

  async function drain(): Promise<number> {
    let written = 0;
    while (queue.length > 0) {
      const batch = queue.splice(0, batchSize);
      try {
        await deps.append(batch);
        written += batch.length;
      } catch (err) {
        failures += 1;
        lastError = err instanceof Error ? err.message : String(err);
        queue = [...batch, ...queue];
        trim();
        break;
      }
    }
    return written;
  }

  function flush(): Promise<number> {
    inFlight ??= drain().finally(() => {
      inFlight = null;
    });
    return inFlight;
  }

  return {
    stream: {
      write(line: string) {
        const row = parseLogLine(line, minRank, deps.now());
        if (!row) return;
        queue.push(row);
        trim();
        if (queue.length >= batchSize && !inFlight) void flush();
      },
    },
    flush,
    stats: () => ({ queued: queue.length, dropped, failures, lastError }),
  };
}
