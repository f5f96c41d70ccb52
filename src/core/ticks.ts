// KRW tick table, price/volume rounding, minimum order and fee math: the only rounding code in the app.
// Tick table in force since 2025-07-31: https://docs.upbit.com/kr/docs/krw-market-info (shared/upbit-api.md §7.2).

/** Upbit KRW-market trading fee (bid on top, ask out of the proceeds). */
export const FEE_RATE = 0.0005;
export const MIN_ORDER_KRW = 5_000;
export const MAX_ORDER_KRW = 1_000_000_000;
export const VOLUME_DECIMALS = 8;

/** [lower bound inclusive, tick] from the highest band down. Rows below 100 KRW are UNCONFIRMED upstream. */
const KRW_TICKS: ReadonlyArray<readonly [number, number]> = [
  [1_000_000, 1_000],
  [500_000, 500],
  [100_000, 100],
  [50_000, 50],
  [10_000, 10],
  [5_000, 5],
  [100, 1],
  [10, 0.1],
  [1, 0.01],
  [0.1, 0.001],
  [0.01, 0.0001],
  [0.001, 0.00001],
  [0.0001, 0.000001],
  [0, 0.0000001],
];

/** The tick size for a KRW price. */
export function krwTickSize(price: number): number {
  for (const [lower, tick] of KRW_TICKS) if (price >= lower) return tick;
  return KRW_TICKS[KRW_TICKS.length - 1]![1];
}

/** Decimal places of a tick (0.001 → 3, 0.5 → 1, 10 → 0). */
export function tickDecimals(tick: number): number {
  if (Number.isInteger(tick)) return 0;
  const s = tick.toFixed(12).replace(/0+$/, '');
  return s.length - s.indexOf('.') - 1;
}

function snap(value: number, decimals: number): number {
  return Number(value.toFixed(decimals));
}

/**
 * Whether q is an integer up to binary noise: 0.29/0.01 is 28.999…, and 9.98628428/1e-8 is 998628427.99999988 — the
 * division's error grows with q (a few ulps), so the tolerance does too.
 */
const isNoise = (q: number, r: number): boolean => Math.abs(q - r) < Math.max(1e-7, Math.abs(q) * 4.5e-16);

/** Floors x to a multiple of step, tolerating binary noise. */
function floorToStep(x: number, step: number): number {
  const q = x / step;
  const r = Math.round(q);
  return (isNoise(q, r) ? r : Math.floor(q)) * step;
}

function ceilToStep(x: number, step: number): number {
  const q = x / step;
  const r = Math.round(q);
  return (isNoise(q, r) ? r : Math.ceil(q)) * step;
}

export type Rounding = 'down' | 'up' | 'nearest';

/**
 * Puts a KRW price on the tick grid. A sell limit should round up, a buy limit down.
 * The tick of the result's own band is used (a price just under a band edge keeps the finer tick).
 */
export function roundPriceToTick(price: number, mode: Rounding = 'nearest', tick = krwTickSize(price)): number {
  const d = tickDecimals(tick);
  if (mode === 'down') return snap(floorToStep(price, tick), d);
  if (mode === 'up') return snap(ceilToStep(price, tick), d);
  return snap(Math.round(price / tick) * tick, d);
}

export function isOnTickGrid(price: number, tick = krwTickSize(price)): boolean {
  return Math.abs(price - roundPriceToTick(price, 'nearest', tick)) < tick * 1e-6;
}

/** Floors a volume to 8 decimals (Upbit precision; truncate, never round up). */
export function floorVolume(volume: number): number {
  return snap(floorToStep(volume, 10 ** -VOLUME_DECIMALS), VOLUME_DECIMALS);
}

/** Decimal string for the wire without exponent notation or trailing zeros ("0.00003736", "150000"). */
export function toDecimalString(value: number, maxDecimals = VOLUME_DECIMALS): string {
  const s = value.toFixed(maxDecimals);
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

export const formatVolume = (volume: number): string => toDecimalString(floorVolume(volume), VOLUME_DECIMALS);
export const formatPrice = (price: number): string => toDecimalString(price, tickDecimals(krwTickSize(price)));

/** Fee on a KRW notional. */
export const feeOf = (notionalKrw: number, feeRate = FEE_RATE): number => notionalKrw * feeRate;
/** KRW needed to buy `notionalKrw` worth, fee on top (what a bid locks). */
export const costWithFee = (notionalKrw: number, feeRate = FEE_RATE): number => notionalKrw * (1 + feeRate);
/** KRW received for selling `notionalKrw` worth, fee taken out. */
export const proceedsAfterFee = (notionalKrw: number, feeRate = FEE_RATE): number => notionalKrw * (1 - feeRate);

/** Whether an order's KRW value meets Upbit's minimum (5,000 KRW). */
export const meetsMinimum = (notionalKrw: number): boolean => notionalKrw >= MIN_ORDER_KRW - 1e-9;
