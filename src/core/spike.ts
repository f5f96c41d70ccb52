// The volume-spike seed rule with its previous-UTC-day price filter, as numeric primitives and a candle-array helper.
import type { Candle } from './types.ts';

export const SPIKE_LOOKBACK = 4;
const DAY_MS = 86_400_000;
/**
 * Relative slack for the two comparisons, so that a value exactly at the threshold or at the limit is
 * judged as written in the spec despite binary noise (0.1+0.2+0.3+0.4 is 1.0000000000000002).
 */
export const SPIKE_EPSILON = 1e-9;

export type SpikeSettings = { volumeSpikeThreshold: number; priceChangeLimit: number };

export type SpikeNoSignalReason = 'no-history' | 'zero-mean' | 'below-threshold' | 'no-prev-day' | 'price-filter';

/** `ratio` is volume / mean of the previous four (NaN when they are missing or their mean is 0). */
export type SpikeCheck =
  | { signal: true; ratio: number }
  | { signal: false; ratio: number; reason: SpikeNoSignalReason };

/** volume ≥ threshold × meanPrev, with meanPrev > 0. */
export const isVolumeSpike = (volume: number, meanPrev: number, threshold: number): boolean =>
  meanPrev > 0 && volume >= threshold * meanPrev * (1 - SPIKE_EPSILON);

/** True when |close / prevDayClose − 1| ≤ limit; false when there is no usable previous-day close. */
export function passesPriceFilter(close: number, prevDayClose: number, limit: number): boolean {
  if (!(prevDayClose > 0)) return false;
  return Math.abs(close / prevDayClose - 1) <= limit * (1 + SPIKE_EPSILON);
}

/**
 * The rule at the close of one candle. previousVolumes are the volumes of the market's earlier existing
 * candles, oldest first; only the last four are used. prevDayClose is null when unknown.
 */
export function checkSpike(
  volume: number,
  close: number,
  previousVolumes: ArrayLike<number>,
  prevDayClose: number | null,
  s: SpikeSettings,
): SpikeCheck {
  const n = previousVolumes.length;
  if (n < SPIKE_LOOKBACK) return { signal: false, ratio: Number.NaN, reason: 'no-history' };
  let sum = 0;
  for (let k = n - SPIKE_LOOKBACK; k < n; k++) sum += previousVolumes[k]!;
  const mean = sum / SPIKE_LOOKBACK;
  if (!(mean > 0)) return { signal: false, ratio: Number.NaN, reason: 'zero-mean' };
  const ratio = volume / mean;
  if (!isVolumeSpike(volume, mean, s.volumeSpikeThreshold)) return { signal: false, ratio, reason: 'below-threshold' };
  if (prevDayClose === null || !(prevDayClose > 0)) return { signal: false, ratio, reason: 'no-prev-day' };
  if (!passesPriceFilter(close, prevDayClose, s.priceChangeLimit)) return { signal: false, ratio, reason: 'price-filter' };
  return { signal: true, ratio };
}

/** 00:00 UTC of the day containing ts. */
export const utcDayStart = (ts: number): number => Math.floor(ts / DAY_MS) * DAY_MS;

/**
 * The last close before 00:00 UTC of the day of candles[i] (Upbit's prev_closing_price basis), or null.
 * candles are one market's existing candles in ascending openTime.
 */
export function prevDayCloseOf(candles: readonly Candle[], i: number): number | null {
  const dayStart = utcDayStart(candles[i]!.openTime);
  for (let k = i - 1; k >= 0; k--) if (candles[k]!.openTime < dayStart) return candles[k]!.close;
  return null;
}

/** The rule at the close of candles[i], over one market's existing candles in ascending openTime. */
export function spikeAt(candles: readonly Candle[], i: number, s: SpikeSettings): SpikeCheck {
  const c = candles[i]!;
  const previous = candles.slice(Math.max(0, i - SPIKE_LOOKBACK), i).map((x) => x.volume);
  return checkSpike(c.volume, c.close, previous, prevDayCloseOf(candles, i), s);
}
