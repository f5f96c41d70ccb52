// Log a repeated warning once per window per key (Freqtrade LoggingMixin.log_once), counting what it held back.
import type { Clock } from '../clock.ts';

export type LogOnce = {
  /** Calls `log(suppressed)` when `key` was not logged within the window; true when it did. */
  once(key: string, log: (suppressed: number) => void): boolean;
};

export function createLogOnce(clock: Clock, windowMs: number): LogOnce {
  const seen = new Map<string, { at: number; suppressed: number }>();
  return {
    once(key, log) {
      const now = clock.now();
      const entry = seen.get(key);
      if (entry && now - entry.at < windowMs) {
        entry.suppressed += 1;
        return false;
      }
      seen.set(key, { at: now, suppressed: 0 });
      log(entry?.suppressed ?? 0);
      return true;
    },
  };
}
