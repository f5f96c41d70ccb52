// Seeded synthetic KRW markets (KRW-SYN001…): 1-minute geometric random walks with daily volume cycles and spikes.
import { krwTickSize } from '../../core/ticks.ts';
import type { SimMarketInfo } from '../types.ts';
import { DAY_MS, type DayColumns, MINUTE_MS } from './day-chunk.ts';
import { createGaussian, gaussian, hash32, logUniform, mulberry32, type Rng } from './prng.ts';

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

const MINUTES = 1440;
const CAUTIONS = ['PRICE_FLUCTUATIONS', 'TRADING_VOLUME_SOARING', 'GLOBAL_PRICE_DIFFERENCES'];
const LOW_PRICE = 0.5;
const HIGH_PRICE = 500_000;

/** Nearest price on the KRW grid, as a clean double (same result as roundPriceToTick, without toFixed). */
export function gridPrice(p: number): number {
  const tick = krwTickSize(p);
  if (tick >= 1) return Math.round(p / tick) * tick;
  const f = Math.round(1 / tick);
  return Math.round(p * f) / f;
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

// Scratch for dayShape: consumed within generateSyntheticDay, never retained.
const SHAPE_INC = new Float64Array(MINUTES);
const SHAPE_VOL = new Float64Array(MINUTES);

/** Per-minute volume multipliers and jump-adjusted log returns for one day (in shared scratch arrays). */
function dayShape(spec: SyntheticSpec, day: number): { inc: Float64Array; volMult: Float64Array; rng: Rng; normal: () => number } {
  const rng = mulberry32(hash32(spec.salt, day));
  const normal = createGaussian(rng);
  const inc = SHAPE_INC;
  const volMult = SHAPE_VOL;
  for (let m = 0; m < MINUTES; m++) {
    const z = normal();
    inc[m] = spec.sigma * z;
    const cycle = 1 + 0.5 * Math.cos((2 * Math.PI * (m - 780)) / MINUTES); // busiest ~13:00 UTC (22:00 KST)
    volMult[m] = cycle * Math.exp(0.4 * normal()) * (0.7 + 0.4 * Math.min(Math.abs(z), 4));
  }
  const spikes = 2 + Math.floor(rng() * 5);
  for (let s = 0; s < spikes; s++) {
    const at = Math.floor(rng() * (MINUTES - 6));
    const dur = 2 + Math.floor(rng() * 5);
    const mult = logUniform(rng, 3, 20);
    for (let j = 0; j < dur; j++) volMult[at + j]! *= mult * (j === 0 ? 1 : 0.75);
    if (rng() < 0.4) inc[at]! += (rng() < 0.6 ? 1 : -1) * logUniform(rng, 0.006, 0.03);
  }
  return { inc, volMult, rng, normal };
}

/** Six empty day-sized columns, e.g. a reusable buffer for generateSyntheticDay. */
export function createDayColumns(): DayColumns {
  const mk = () => new Float64Array(MINUTES);
  return { time: mk(), open: mk(), high: mk(), low: mk(), close: mk(), volume: mk() };
}

/**
 * The day's minutes within [fromMs, toMs), as views of `into` (fresh arrays by default). The path
 * does not depend on the clip: same seed, same prices.
 */
export function generateSyntheticDay(spec: SyntheticSpec, day: number, fromMs: number, toMs: number, into = createDayColumns()): DayColumns {
  const k = day - spec.firstDay;
  const cols = into;
  if (k < 0 || k >= spec.anchors.length - 1) return trim(cols, 0);
  const { inc, volMult, rng } = dayShape(spec, day);
  let walk = 0;
  for (let m = 0; m < MINUTES; m++) walk += inc[m]!;
  const drift = (walk - (spec.anchors[k + 1]! - spec.anchors[k]!)) / MINUTES;
  let x = spec.anchors[k]!;
  let n = 0;
  const wiggle = spec.sigma * 0.5;
  let close = gridPrice(Math.exp(x));
  for (let m = 0; m < MINUTES; m++) {
    const open = close;
    x += inc[m]! - drift;
    close = gridPrice(Math.exp(x));
    const up = -Math.log(1 - rng()) * wiggle;
    const down = -Math.log(1 - rng()) * wiggle;
    const traded = volMult[m]! > 2.5 || rng() < spec.tradeProb;
    const t = day * DAY_MS + m * MINUTE_MS;
    if (!traded || t < fromMs || t >= toMs) continue;
    cols.time[n] = t;
    cols.open[n] = open;
    cols.close[n] = close;
    cols.high[n] = Math.max(open, close, gridPrice(Math.max(open, close) * (1 + up)));
    cols.low[n] = Math.min(open, close, gridPrice(Math.min(open, close) * (1 - down)));
    cols.volume[n] = Math.max(1e-4, Math.round((spec.volumeKrw * volMult[m]!) / close * 1e8) / 1e8);
    n++;
  }
  return trim(cols, n);
}

function trim(cols: DayColumns, n: number): DayColumns {
  return {
    time: cols.time.subarray(0, n), open: cols.open.subarray(0, n), high: cols.high.subarray(0, n),
    low: cols.low.subarray(0, n), close: cols.close.subarray(0, n), volume: cols.volume.subarray(0, n),
  };
}
