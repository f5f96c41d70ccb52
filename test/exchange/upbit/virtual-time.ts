// Test helper: a virtual clock whose sleeps fire only when no HTTP request is in flight (deterministic rate tests).

export type VirtualTime = {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Wraps fetch so time stands still while a request is in flight. */
  track: <F extends (input: string, init: RequestInit) => Promise<Response>>(fetchFn: F) => F;
  advance: (ms: number) => void;
  /** Every sleep requested so far, in ms. */
  sleeps: number[];
};

export function createVirtualTime(start = 1_750_000_000_000): VirtualTime {
  let t = start;
  let inFlight = 0;
  let isScheduled = false;
  const timers: Array<{ at: number; seq: number; resolve: () => void }> = [];
  const sleeps: number[] = [];
  let seq = 0;

  // Time may jump only once the program has been idle (no request, no new sleep) for a few event-loop turns:
  // between a limiter's grant and its fetch there are async steps (JWT signing), and a jump there would
  // land the request in a later rate window than the one it was granted in — a 429 only a slow machine sees.
  const QUIET_TURNS = 5;
  let quietTurns = 0;
  const touch = () => {
    quietTurns = 0;
  };
  const schedule = () => {
    if (isScheduled) return;
    isScheduled = true;
    setTimeout(tick, 0);
  };
  const tick = () => {
    isScheduled = false;
    if (inFlight > 0 || timers.length === 0) return;
    if (quietTurns < QUIET_TURNS) {
      quietTurns++;
      return schedule();
    }
    quietTurns = 0;
    timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const next = timers.shift()!;
    t = Math.max(t, next.at);
    next.resolve();
    if (timers.length > 0) schedule();
  };

  return {
    now: () => t,
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        sleeps.push(ms);
        touch();
        timers.push({ at: t + Math.max(0, ms), seq: seq++, resolve });
        schedule();
      }),
    track: (fetchFn) =>
      (async (input: string, init: RequestInit) => {
        inFlight++;
        touch();
        try {
          return await fetchFn(input, init);
        } finally {
          inFlight--;
          touch();
          if (inFlight === 0) schedule();
        }
      }) as typeof fetchFn,
    advance: (ms) => {
      t += ms;
    },
    sleeps,
  };
}
