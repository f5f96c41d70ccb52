// The deterministic intra-minute path: four trades open → low/high → high/low → close with the minute's volume.
import { hash32 } from './prng.ts';

export const TRADES_PER_MINUTE = 4;
const UNITS_PER_COIN = 1e8; // Upbit volume precision: 8 decimals

/** Scratch buffer for one minute's trades (reused; never retained by callers). */
export type MinuteTrades = {
  count: number;
  time: Float64Array;
  price: Float64Array;
  volume: Float64Array;
  /** 1 = buy (uptick), 0 = sell. */
  isBuy: Uint8Array;
};

export function createMinuteTrades(): MinuteTrades {
  const n = TRADES_PER_MINUTE;
  return { count: 0, time: new Float64Array(n), price: new Float64Array(n), volume: new Float64Array(n), isBuy: new Uint8Array(n) };
}

/**
 * Fills `out` with the minute's trades. A rising minute visits the low first, a falling one the high
 * first (the usual OHLC path convention). Trade times sit in fixed windows of the minute
 * ([0,4s), [10,25s), [30,45s), [50,59s)) so each trade has its own second; volumes are whole
 * 1e-8 units summing to the minute's volume; trades that would get no volume are dropped.
 */
export function fillMinuteTrades(
  out: MinuteTrades,
  salt: number,
  startMs: number,
  open: number,
  high: number,
  low: number,
  close: number,
  volume: number,
): MinuteTrades {
  const r1 = hash32(salt, startMs / 60_000);
  const r2 = hash32(r1, 0x9e3779b9);
  const up = close >= open;
  const prices = [open, up ? low : high, up ? high : low, close];
  const offsets = [r1 % 4000, 10_000 + ((r1 >>> 12) % 15_000), 30_000 + (r2 % 15_000), 50_000 + ((r2 >>> 16) % 9000)];
  const w0 = 1 + ((r2 >>> 4) & 7);
  const w1 = 1 + ((r2 >>> 7) & 7);
  const w2 = 1 + ((r2 >>> 10) & 7);
  const w3 = 1 + ((r2 >>> 13) & 7);
  const total = Math.round(volume * UNITS_PER_COIN);
  const sum = w0 + w1 + w2 + w3;
  const u0 = Math.floor((total * w0) / sum);
  const u1 = Math.floor((total * w1) / sum);
  const u2 = Math.floor((total * w2) / sum);
  const units = [u0, u1, u2, total - u0 - u1 - u2];
  let n = 0;
  let prev = open;
  let prevBuy = up ? 1 : 0;
  for (let i = 0; i < TRADES_PER_MINUTE; i++) {
    const p = prices[i]!;
    const isBuy = i === 0 ? prevBuy : p > prev ? 1 : p < prev ? 0 : prevBuy;
    prev = p;
    prevBuy = isBuy;
    if (units[i]! <= 0) continue;
    out.time[n] = startMs + offsets[i]!;
    out.price[n] = p;
    out.volume[n] = units[i]! / UNITS_PER_COIN;
    out.isBuy[n] = isBuy;
    n++;
  }
  out.count = n;
  return out;
}

/** KRW turnover of the minute's trades (Σ price × volume). */
export function minuteTurnover(t: MinuteTrades): number {
  let s = 0;
  for (let i = 0; i < t.count; i++) s += t.price[i]! * t.volume[i]!;
  return s;
}
