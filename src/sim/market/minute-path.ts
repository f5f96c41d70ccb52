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
  const w0 = 1 + ((r2 >>> 4) & 7);
  const w1 = 1 + ((r2 >>> 7) & 7);
  const w2 = 1 + ((r2 >>> 10) & 7);
  const w3 = 1 + ((r2 >>> 13) & 7);
  const total = Math.round(volume * UNITS_PER_COIN);
  const sum = w0 + w1 + w2 + w3;
  const u0 = Math.floor((total * w0) / sum);
  const u1 = Math.floor((total * w1) / sum);
  const u2 = Math.floor((total * w2) / sum);
  out.count = 0;
  const isBuy0 = up ? 1 : 0;
  push(out, startMs + (r1 % 4000), open, u0, isBuy0);
  const p1 = up ? low : high;
  const isBuy1 = p1 > open ? 1 : p1 < open ? 0 : isBuy0;
  push(out, startMs + 10_000 + ((r1 >>> 12) % 15_000), p1, u1, isBuy1);
  const p2 = up ? high : low;
  const isBuy2 = p2 > p1 ? 1 : p2 < p1 ? 0 : isBuy1;
  push(out, startMs + 30_000 + (r2 % 15_000), p2, u2, isBuy2);
  const isBuy3 = close > p2 ? 1 : close < p2 ? 0 : isBuy2;
  push(out, startMs + 50_000 + ((r2 >>> 16) % 9000), close, total - u0 - u1 - u2, isBuy3);
  return out;
}

/** Appends one trade unless it gets no volume (allocation-free). */
function push(out: MinuteTrades, time: number, price: number, units: number, isBuy: number): void {
  if (units <= 0) return;
  const n = out.count;
  out.time[n] = time;
  out.price[n] = price;
  out.volume[n] = units / UNITS_PER_COIN;
  out.isBuy[n] = isBuy;
  out.count = n + 1;
}

/** KRW turnover of the minute's trades (Σ price × volume). */
export function minuteTurnover(t: MinuteTrades): number {
  let s = 0;
  for (let i = 0; i < t.count; i++) s += t.price[i]! * t.volume[i]!;
  return s;
}
