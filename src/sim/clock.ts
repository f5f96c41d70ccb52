// The simulator's clock: real time, accelerated (speed × real time), or stepped by hand (tests).
import type { Clock } from '../clock.ts';

export type SimClockOptions = {
  /** Simulated epoch ms at start. */
  startAt: number;
  /** Simulated ms per real ms; 0 = stepped (time moves only through advance/set). */
  speed: number;
  /** Where real time comes from (injectable for tests). */
  realNow?: () => number;
  /** Simulated time never passes this (end of the recorded data); null = no end. */
  endAt?: number | null;
};

export interface SimClock extends Clock {
  readonly speed: number;
  /** Moves simulated time forward by ms (any mode). */
  advance(ms: number): number;
  /** Jumps to an absolute simulated time (never backwards). */
  set(at: number): number;
  setSpeed(speed: number): void;
}

export function createSimClock(opts: SimClockOptions): SimClock {
  const realNow = opts.realNow ?? (() => performance.timeOrigin + performance.now());
  const endAt = opts.endAt ?? null;
  let baseSim = opts.startAt;
  let baseReal = realNow();
  let speed = opts.speed;
  const clamp = (t: number) => (endAt === null ? t : Math.min(t, endAt));
  const now = () => clamp(baseSim + (realNow() - baseReal) * speed);
  const rebase = (at: number) => {
    baseSim = clamp(at);
    baseReal = realNow();
    return baseSim;
  };
  return {
    get speed() {
      return speed;
    },
    now,
    advance: (ms) => rebase(now() + Math.max(0, ms)),
    set: (at) => rebase(Math.max(now(), at)),
    setSpeed(next) {
      rebase(now());
      speed = Math.max(0, next);
    },
  };
}
