// Fresh client order identifiers: cb-<purpose>-<epoch ms base36>-<random base36>, unique forever at Upbit.
// Upbit never accepts an identifier twice, even for a failed order (shared/upbit-api.md §5.3).

import { mulberry32 } from '../core/prng.ts';

/** A random source like Math.random: uniform in [0, 1). Injected so tests are deterministic. */
export type RandomSource = () => number;

export const IDENTIFIER_MAX_LENGTH = 64;
const ALLOWED = /^[A-Za-z0-9._~-]+$/;
const RANDOM_DIGITS = 10;

export class InvalidIdentifierPurpose extends Error {
  override readonly name = 'InvalidIdentifierPurpose';
}

function randomBase36(random: RandomSource, digits: number): string {
  let out = '';
  for (let i = 0; i < digits; i++) out += Math.min(35, Math.floor(random() * 36)).toString(36);
  return out;
}

/** Builds an identifier for an order of `purpose` (lower-case letters/digits, e.g. "entry", "exit"). */
export function newIdentifier(purpose: string, nowMs: number, random: RandomSource): string {
  if (!/^[a-z0-9]{1,16}$/.test(purpose)) {
    throw new InvalidIdentifierPurpose(`Could not build an order identifier: bad purpose "${purpose}"`);
  }
  const id = `cb-${purpose}-${Math.max(0, Math.floor(nowMs)).toString(36)}-${randomBase36(random, RANDOM_DIGITS)}`;
  return id;
}

/** Whether a string may be sent as an Upbit identifier ([A-Za-z0-9._~-], 1..64 chars). */
export const isValidIdentifier = (id: string): boolean => id.length <= IDENTIFIER_MAX_LENGTH && ALLOWED.test(id);

/** A seeded PRNG (mulberry32) for tests and the simulator; production passes Math.random or crypto. */
export const seededRandom = (seed: number): RandomSource => mulberry32(seed);

/** A cryptographically random source for production. */
export const cryptoRandom: RandomSource = () => crypto.getRandomValues(new Uint32Array(1))[0]! / 4294967296;
