// A synthetic day's exact high/low without building its minutes: log-space bounds, then exact prices for the few contenders.
import { krwTickSize } from '../../core/ticks.ts';
import {
  type DayWalk, downWiggle, generateSyntheticDay, grid, isTraded, MINUTES, mix, prepareDay, SHAPE_INC, STEP, type SyntheticDay, type SyntheticSpec,
  upWiggle,
} from './synthetic.ts';

/**
 * How far a minute's log high can sit above its key (max log open/close + up wiggle): the grid moves a
 * price by at most half a tick, ≤ 0.5% of it for prices ≥ 1e-4 (twice: open/close, then the wiggle),
 * and ln(1 + u) ≤ u. 2·ln(1.005) = 0.009975; the rest covers floating-point rounding.
 */
const MARGIN = 0.0101;
/** Below this the grid's relative step exceeds 0.5% (the [0, 1e-4) band): fall back to the full day. */
const MIN_BOUNDED_PRICE = 2e-4;

const XS = new Float64Array(MINUTES + 1); // log price at each minute boundary
const KEY_HIGH = new Float64Array(MINUTES);
const KEY_LOW = new Float64Array(MINUTES);
const fallback: { day: SyntheticDay | null } = { day: null };

type Exact = { high: number; low: number };

/** Minute m's exact high and low (the same arithmetic as generateSyntheticDay). */
function exactMinute(m: number, up: number, down: number): Exact {
  const open = grid(Math.exp(XS[m]!));
  const close = grid(Math.exp(XS[m + 1]!));
  const hi = Math.max(open, close);
  const lo = Math.min(open, close);
  return { high: Math.max(hi, grid(hi * (1 + up))), low: Math.min(lo, grid(lo * (1 - down))) };
}

/** The largest wiggle factor a table draw can give (EXPONENTIAL_QUANTILES' last entry is 9.0109). */
const MAX_WIGGLE_DRAW = 9.02;

/**
 * The day's highest high and lowest low within [fromMs, toMs) (−∞/+∞ without trades), equal to a full
 * scan — except that a side which provably cannot beat `beatHigh` / `beatLow` (strictly) may come back
 * as −∞ / +∞ without being computed: the 52-week prefix only needs days that move it.
 */
export function syntheticDayExtremes(spec: SyntheticSpec, day: number, fromMs: number, toMs: number, beatHigh = -Infinity, beatLow = Infinity): Exact {
  const w = prepareDay(spec, day, fromMs, toMs);
  if (!w) return { high: -Infinity, low: Infinity };
  XS[0] = w.x0;
  let maxX = w.x0;
  let minX = w.x0;
  for (let m = 0; m < MINUTES; m++) {
    const x = XS[m]! + (SHAPE_INC[m]! - w.drift); // the same rounding as generateSyntheticDay's x += inc − drift
    XS[m + 1] = x;
    if (x > maxX) maxX = x;
    if (x < minX) minX = x;
  }
  const reach = MAX_WIGGLE_DRAW * w.wiggle * 1.02 + MARGIN;
  const isBounded = Math.exp(minX - reach) >= MIN_BOUNDED_PRICE && w.wiggle * MAX_WIGGLE_DRAW <= 0.019;
  const needHigh = !isBounded || !(beatHigh > 0) || maxX + reach >= Math.log(beatHigh);
  const needLow = !isBounded || !(beatLow > 0) || minX - reach <= Math.log(beatLow);
  if (!needHigh && !needLow) return { high: -Infinity, low: Infinity };
  if (!isBounded) {
    const d = generateSyntheticDay(spec, day, fromMs, toMs, (fallback.day ??= createFallbackDay()));
    return { high: d.dayHigh, low: d.dayLow };
  }
  let a = w.state;
  let best = -1;
  let bestLow = -1;
  for (let m = 0; m < MINUTES; m++) {
    a = (a + STEP) >>> 0;
    const r = mix(a);
    if (!isTraded(w, m, r)) {
      KEY_HIGH[m] = -Infinity;
      KEY_LOW[m] = Infinity;
      continue;
    }
    KEY_HIGH[m] = Math.max(XS[m]!, XS[m + 1]!) + upWiggle(w, r);
    KEY_LOW[m] = Math.min(XS[m]!, XS[m + 1]!) - 1.02 * downWiggle(w, r); // ln(1 − d) ≥ −1.02·d for d ≤ 0.019
    if (best < 0 || KEY_HIGH[m]! > KEY_HIGH[best]!) best = m;
    if (bestLow < 0 || KEY_LOW[m]! < KEY_LOW[bestLow]!) bestLow = m;
  }
  if (best < 0) return { high: -Infinity, low: Infinity };
  const margin = dayMargin(KEY_LOW[bestLow]!, KEY_HIGH[best]!);
  return {
    high: needHigh ? contenders(w, best, true, margin) : -Infinity,
    low: needLow ? contenders(w, bestLow, false, margin) : Infinity,
  };
}

/**
 * A tighter MARGIN for the day's price range: every price v the day's grid snapping sees lies in
 * [lo, hi] (the keys ± MARGIN), the tick only grows with the price, so |grid(v) − v| ≤ tick(hi) / 2 ≤ h·v.
 */
function dayMargin(minKeyLow: number, maxKeyHigh: number): number {
  const lo = Math.exp(minKeyLow - MARGIN);
  const h = krwTickSize(Math.exp(maxKeyHigh + MARGIN)) / 2 / lo;
  return h <= 0.005 ? 2 * Math.log1p(h) + 1e-9 : MARGIN;
}

/** Exact extreme over the minutes whose bound can still beat the best exact value found so far (seeded by `first`). */
function contenders(w: DayWalk, first: number, isHigh: boolean, margin: number): number {
  let bestValue = Infinity;
  let bound = 0;
  for (let pass = 0; pass < 2; pass++) {
    let a = w.state;
    for (let m = 0; m < MINUTES; m++) {
      a = (a + STEP) >>> 0;
      if (pass === 0 ? m !== first : m === first || (isHigh ? KEY_HIGH[m]! < bound : KEY_LOW[m]! > bound)) continue;
      const r = mix(a);
      const e = exactMinute(m, upWiggle(w, r), downWiggle(w, r));
      bestValue = pass === 0 ? (isHigh ? e.high : e.low) : isHigh ? Math.max(bestValue, e.high) : Math.min(bestValue, e.low);
      if (pass === 0) break;
    }
    bound = isHigh ? Math.log(bestValue) - margin : Math.log(bestValue) + margin;
  }
  return bestValue;
}

function createFallbackDay(): SyntheticDay {
  const mk = () => new Float64Array(MINUTES);
  return { n: 0, minute: new Uint16Array(MINUTES), open: mk(), high: mk(), low: mk(), close: mk(), volume: mk(), dayHigh: -Infinity, dayLow: Infinity };
}
