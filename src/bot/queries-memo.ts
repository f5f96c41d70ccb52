// Shares one db read among the dashboard's pollers: identical reads in flight, or finished less than ttlMs ago, reuse it.
import type { Clock } from '../clock.ts';

export type Memo = {
  /** The value of `run`, shared with every other caller of `key` while it runs and for ttlMs (by the clock) after. */
  get<T>(key: string, run: () => Promise<T>): Promise<T>;
  clear(): void;
};

type Entry = { at: number; value: Promise<unknown>; isSettled: boolean };

/**
 * Fifty browser tabs polling every 5 s ask the same questions; the answers change only when a trade
 * closes or a price moves. A failed read is never kept. ttlMs 0 still shares reads that are in flight.
 */
export function createMemo(clock: Clock, ttlMs: number, maxEntries = 256): Memo {
  const entries = new Map<string, Entry>();
  const isFresh = (e: Entry, now: number) => !e.isSettled || (now >= e.at && now - e.at < ttlMs);

  function prune(now: number) {
    for (const [k, e] of entries) if (!isFresh(e, now)) entries.delete(k);
    if (entries.size >= maxEntries) entries.clear();
  }

  return {
    get<T>(key: string, run: () => Promise<T>): Promise<T> {
      const now = clock.now();
      const hit = entries.get(key);
      if (hit && isFresh(hit, now)) return hit.value as Promise<T>;
      if (entries.size >= maxEntries) prune(now);
      const value = run();
      const entry: Entry = { at: now, value, isSettled: false };
      entries.set(key, entry);
      const settle = (isOk: boolean) => {
        entry.isSettled = true;
        entry.at = clock.now();
        if ((!isOk || ttlMs <= 0) && entries.get(key) === entry) entries.delete(key);
      };
      value.then(() => settle(true), () => settle(false));
      return value;
    },
    clear: () => entries.clear(),
  };
}
