// A seeded pseudo-random generator (mulberry32): the one source of repeatable randomness for the sim, tests and tools.

/** Floats in [0, 1), the same sequence for the same seed. Never Math.random where a run must replay. */
export type Rng = () => number;

export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
