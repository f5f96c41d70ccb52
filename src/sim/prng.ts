// Seeded randomness for the simulator (fault draws, order uuids): never Math.random, so runs repeat for a seed.

import { mulberry32 } from '../core/prng.ts';

export type Prng = {
  /** Uniform in [0, 1). */
  next(): number;
  /** A v4-shaped UUID built from the generator. */
  uuid(): string;
};

/** mulberry32: small, fast, good enough for simulation draws. */
export function createPrng(seed: number): Prng {
  const next = mulberry32(seed);
  const hex = (n: number): string => {
    let s = '';
    for (let i = 0; i < n; i++) s += Math.floor(next() * 16).toString(16);
    return s;
  };
  const uuid = (): string =>
    `${hex(8)}-${hex(4)}-4${hex(3)}-${(8 + Math.floor(next() * 4)).toString(16)}${hex(3)}-${hex(12)}`;
  return { next, uuid };
}
