// Small deterministic randomness for the market model: mulberry32, integer hashing, Gaussian draws, quantile tables.
import type { Rng } from '../../core/prng.ts';

export { mulberry32, type Rng } from '../../core/prng.ts';

/** Mixes two integers into a well-spread uint32 (murmur3 finaliser); inputs may exceed 32 bits. */
export function hash32(a: number, b: number): number {
  let h = (Math.imul(a | 0, 0x85ebca6b) ^ Math.imul((b | 0) ^ ((b / 4294967296) | 0), 0xc2b2ae35)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Stable uint32 hash of a string (FNV-1a), used to salt per-market paths. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Standard normal draw (Box–Muller, one value per call). */
export function gaussian(rng: Rng): number {
  const u = 1 - rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** A standard normal source using both Box–Muller values (half the transcendental calls of gaussian). */
export function createGaussian(rng: Rng): () => number {
  let spare = 0;
  let hasSpare = false;
  return () => {
    if (hasSpare) {
      hasSpare = false;
      return spare;
    }
    const r = Math.sqrt(-2 * Math.log(1 - rng()));
    const a = 2 * Math.PI * rng();
    spare = r * Math.sin(a);
    hasSpare = true;
    return r * Math.cos(a);
  };
}

/** Log-uniform draw between lo and hi. */
export function logUniform(rng: Rng, lo: number, hi: number): number {
  return Math.exp(Math.log(lo) + rng() * (Math.log(hi) - Math.log(lo)));
}

/** Bits per table draw: a 12-bit field of a uint32 picks one of QUANTILES equally likely quantiles. */
export const QUANTILE_BITS = 12;
export const QUANTILES = 1 << QUANTILE_BITS;

// Acklam's coefficients.
const NA = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239] as const;
const NB = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572] as const;
const NC = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783] as const;
const ND = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416] as const;

function normalTail(q: number): number {
  return (((((NC[0] * q + NC[1]) * q + NC[2]) * q + NC[3]) * q + NC[4]) * q + NC[5]) / ((((ND[0] * q + ND[1]) * q + ND[2]) * q + ND[3]) * q + 1);
}

/** Inverse standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9). */
export function inverseNormal(p: number): number {
  if (p < 0.02425) return normalTail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -normalTail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return ((((((NA[0] * r + NA[1]) * r + NA[2]) * r + NA[3]) * r + NA[4]) * r + NA[5]) * q) / (((((NB[0] * r + NB[1]) * r + NB[2]) * r + NB[3]) * r + NB[4]) * r + 1);
}

function quantileTable(f: (u: number) => number): Float64Array {
  const table = new Float64Array(QUANTILES);
  for (let i = 0; i < QUANTILES; i++) table[i] = f((i + 0.5) / QUANTILES);
  return table;
}

/** QUANTILES standard normal quantiles (|z| ≤ 3.5): a table draw replaces Box–Muller's log/sqrt/sin. */
export const NORMAL_QUANTILES = quantileTable(inverseNormal);
/** QUANTILES unit-exponential quantiles (−ln(1 − u)). */
export const EXPONENTIAL_QUANTILES = quantileTable((u) => -Math.log(1 - u));
