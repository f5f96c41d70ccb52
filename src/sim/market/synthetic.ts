// Seeded synthetic KRW markets (KRW-SYN001…): 1-minute geometric random walks with daily volume cycles and spikes.
import { krwTickSize } from '../../core/ticks.ts';
import type { SimMarketInfo } from '../types.ts';
import { DAY_MS, MINUTE_MS } from './day-chunk.ts';
import {
  EXPONENTIAL_QUANTILES, gaussian, hash32, logUniform, mulberry32, NORMAL_QUANTILES, QUANTILE_BITS, QUANTILES,
} from './prng.ts';

export type SyntheticSpec = SimMarketInfo & {
  salt: number;
  /** Per-minute log-return volatility. */
  sigma: number;
  /** Typical KRW traded per minute. */
  volumeKrw: number;
  /** Chance a quiet minute has any trade (< 1 for thin markets). */
  tradeProb: number;
  firstDay: number;
  /** Log price at 00:00 UTC of firstDay + k (length days + 1): each day is a bridge between two anchors. */
  anchors: Float64Array;
};

export const MINUTES = 1440;
const CAUTIONS = ['PRICE_FLUCTUATIONS', 'TRADING_VOLUME_SOARING', 'GLOBAL_PRICE_DIFFERENCES'];
const LOW_PRICE = 0.5;
const HIGH_PRICE = 500_000;

/** Nearest price on the KRW grid, as a clean double (same result as roundPriceToTick, without toFixed). */
export function gridPrice(p: number): number {
  return onGrid(p, krwTickSize(p));
}

function onGrid(p: number, tick: number): number {
  if (tick >= 1) return Math.round(p / tick) * tick;
  const f = Math.round(1 / tick);
  return Math.round(p * f) / f;
}

// gridPrice with memory: krwTickSize is a step function, so once prices a ≤ b share a tick every price
// between them has it too. On a miss the interval also takes in p ± 5% when that shares p's tick, so a
// day's walk rarely leaves it. Module state: valid for any market and day.
let gridLo = 1;
let gridHi = 0;
let gridTick = 1;
let gridF = 1;

function retick(p: number): void {
  const t = krwTickSize(p);
  if (t !== gridTick || gridLo > gridHi) [gridLo, gridHi, gridTick, gridF] = [p, p, t, Math.round(1 / t)];
  const [down, up] = [p * 0.95, p * 1.05];
  gridLo = Math.min(gridLo, down < gridLo && krwTickSize(down) === t ? down : p);
  gridHi = Math.max(gridHi, up > gridHi && krwTickSize(up) === t ? up : p);
}

export function grid(p: number): number {
  if (p < gridLo || p > gridHi) retick(p);
  return gridTick >= 1 ? Math.round(p / gridTick) * gridTick : Math.round(p * gridF) / gridF;
}

export function syntheticCode(i: number): string {
  return `KRW-SYN${String(i).padStart(3, '0')}`;
}

/** Market parameters for `count` synthetic markets over UTC days [firstDay, lastDay]; cheap (no paths yet). */
export function createSyntheticSpecs(seed: number, count: number, firstDay: number, lastDay: number): SyntheticSpec[] {
  const pick = mulberry32(hash32(seed, 0x5eed));
  const flagged: number[] = [];
  while (flagged.length < Math.min(4, count)) {
    const i = 1 + Math.floor(pick() * count);
    if (!flagged.includes(i)) flagged.push(i);
  }
  const specs: SyntheticSpec[] = [];
  for (let i = 1; i <= count; i++) {
    const rng = mulberry32(hash32(seed, i));
    const frac = count > 1 ? (i - 1) / (count - 1) : 0.5;
    const p0 = Math.exp(Math.log(LOW_PRICE) + frac * Math.log(HIGH_PRICE / LOW_PRICE)) * logUniform(rng, 0.8, 1.25);
    const sigma = logUniform(rng, 0.0006, 0.0025);
    const volumeKrw = logUniform(rng, 1e5, 2e8);
    const days = Math.max(0, lastDay - firstDay + 1);
    const anchors = new Float64Array(days + 1);
    anchors[0] = Math.log(p0);
    for (let k = 0; k < days; k++) anchors[k + 1] = anchors[k]! + sigma * 30 * gaussian(rng);
    const flag = flagged.indexOf(i);
    const num = String(i).padStart(3, '0');
    specs.push({
      market: syntheticCode(i),
      koreanName: `합성 ${num}`,
      englishName: `Synthetic ${num}`,
      isWarning: flag === 3,
      cautions: flag >= 0 && flag < 3 ? [CAUTIONS[flag]!] : [],
      isSynthetic: true,
      salt: hash32(seed ^ 0x51a7, i),
      sigma,
      volumeKrw,
      tradeProb: Math.min(1, 0.4 + volumeKrw / 2e6),
      firstDay,
      anchors,
    });
  }
  return specs;
}

/** One generated day's minutes with trades, ascending, in a reusable buffer (see createSyntheticDay). */
export type SyntheticDay = {
  n: number;
  minute: Uint16Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  /** Highest high and lowest low of the day (−∞/+∞ without trades). */
  dayHigh: number;
  dayLow: number;
};

export function createSyntheticDay(): SyntheticDay {
  const mk = () => new Float64Array(MINUTES);
  return { n: 0, minute: new Uint16Array(MINUTES), open: mk(), high: mk(), low: mk(), close: mk(), volume: mk(), dayHigh: -Infinity, dayLow: Infinity };
}

// Scratch for dayShape: consumed within generateSyntheticDay, never retained.
export const SHAPE_INC = new Float64Array(MINUTES);
export const SHAPE_VOL = new Float64Array(MINUTES);
const QMASK = QUANTILES - 1;
/** Intraday volume cycle, busiest ~13:00 UTC (22:00 KST). */
const CYCLE = Float64Array.from({ length: MINUTES }, (_, m) => 1 + 0.5 * Math.cos((2 * Math.PI * (m - 780)) / MINUTES));
/** exp(0.4 z) for each normal quantile z: the volume multiplier's log-normal noise. */
const VOL_NOISE = NORMAL_QUANTILES.map((z) => Math.exp(0.4 * z));

/** mulberry32's output mix for state a (the caller steps a by 0x6d2b79f5); a pure function JIT-inlines well. */
export function mix(a: number): number {
  let t = Math.imul(a ^ (a >>> 15), a | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}

export const STEP = 0x6d2b79f5;

/** Per-minute volume multipliers and jump-adjusted log returns for one day (in shared scratch arrays). */
function dayShape(spec: SyntheticSpec, seed: number): number {
  const inc = SHAPE_INC;
  const volMult = SHAPE_VOL;
  const sigma = spec.sigma;
  let a = seed >>> 0;
  for (let m = 0; m < MINUTES; m++) {
    a = (a + STEP) >>> 0;
    const r = mix(a);
    const z = NORMAL_QUANTILES[r & QMASK]!;
    inc[m] = sigma * z;
    volMult[m] = CYCLE[m]! * VOL_NOISE[(r >>> QUANTILE_BITS) & QMASK]! * (0.7 + 0.4 * Math.abs(z));
  }
  let b = a; // a separate variable: a closure capturing `a` would slow the loop above ~10×
  const rng = () => mix((b = (b + STEP) >>> 0)) / 4294967296;
  const spikes = 2 + Math.floor(rng() * 5);
  for (let s = 0; s < spikes; s++) {
    const at = Math.floor(rng() * (MINUTES - 6));
    const dur = 2 + Math.floor(rng() * 5);
    const mult = logUniform(rng, 3, 20);
    for (let j = 0; j < dur; j++) volMult[at + j]! *= mult * (j === 0 ? 1 : 0.75);
    if (rng() < 0.4) inc[at]! += (rng() < 0.6 ? 1 : -1) * logUniform(rng, 0.006, 0.03);
  }
  return b;
}

/** A day's walk parameters after dayShape; the walk itself draws one uint32 per minute from `state`. */
export type DayWalk = { state: number; drift: number; x0: number; wiggle: number; tradeBelow: number; m0: number; m1: number };

/** Shapes the day into the scratch arrays (SHAPE_INC, SHAPE_VOL); null outside the spec's days. */
export function prepareDay(spec: SyntheticSpec, day: number, fromMs: number, toMs: number): DayWalk | null {
  const k = day - spec.firstDay;
  if (k < 0 || k >= spec.anchors.length - 1) return null;
  const state = dayShape(spec, hash32(spec.salt, day));
  let walk = 0;
  for (let m = 0; m < MINUTES; m++) walk += SHAPE_INC[m]!;
  const t0 = day * DAY_MS;
  return {
    state,
    drift: (walk - (spec.anchors[k + 1]! - spec.anchors[k]!)) / MINUTES,
    x0: spec.anchors[k]!,
    wiggle: spec.sigma * 0.5,
    tradeBelow: spec.tradeProb * 256,
    m0: Math.max(0, Math.ceil((fromMs - t0) / MINUTE_MS)),
    m1: Math.min(MINUTES, Math.ceil((toMs - t0) / MINUTE_MS)),
  };
}

/** Whether minute m trades, given its walk draw r (the draw also sets its high/low wiggle). */
export const isTraded = (w: DayWalk, m: number, r: number): boolean =>
  m >= w.m0 && m < w.m1 && (SHAPE_VOL[m]! > 2.5 || r >>> 24 < w.tradeBelow);
export const upWiggle = (w: DayWalk, r: number): number => EXPONENTIAL_QUANTILES[r & QMASK]! * w.wiggle;
export const downWiggle = (w: DayWalk, r: number): number => EXPONENTIAL_QUANTILES[(r >>> QUANTILE_BITS) & QMASK]! * w.wiggle;

/**
 * Fills `out` with the day's minutes within [fromMs, toMs). The path does not depend on the clip:
 * same seed, same prices. Randomness comes from quantile tables (no log/sin per draw).
 */
export function generateSyntheticDay(spec: SyntheticSpec, day: number, fromMs: number, toMs: number, out: SyntheticDay): SyntheticDay {
  out.n = 0;
  out.dayHigh = -Infinity;
  out.dayLow = Infinity;
  const w = prepareDay(spec, day, fromMs, toMs);
  if (!w) return out;
  let a = w.state;
  let x = w.x0;
  let close = grid(Math.exp(x));
  let n = 0;
  for (let m = 0; m < MINUTES; m++) {
    const open = close;
    x += SHAPE_INC[m]! - w.drift;
    close = grid(Math.exp(x));
    a = (a + STEP) >>> 0;
    const r = mix(a);
    if (!isTraded(w, m, r)) continue;
    const hi = Math.max(open, close);
    const lo = Math.min(open, close);
    const high = Math.max(hi, grid(hi * (1 + upWiggle(w, r))));
    const low = Math.min(lo, grid(lo * (1 - downWiggle(w, r))));
    out.minute[n] = m;
    out.open[n] = open;
    out.close[n] = close;
    out.high[n] = high;
    out.low[n] = low;
    out.volume[n] = Math.max(1e-4, Math.round(((spec.volumeKrw * SHAPE_VOL[m]!) / close) * 1e8) / 1e8);
    if (high > out.dayHigh) out.dayHigh = high;
    if (low < out.dayLow) out.dayLow = low;
    n++;
  }
  out.n = n;
  return out;
}
