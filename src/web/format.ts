// Numbers and times the way Korean traders read them: KRW without decimals, prices on their tick, times in KST.
import { KST_OFFSET_MS } from '../core/time.ts';
import { krwTickSize, tickDecimals } from '../core/ticks.ts';

const grouped = (decimals: number) =>
  new Intl.NumberFormat('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
const KRW = grouped(0);
const byDecimals = new Map<number, Intl.NumberFormat>();
const withDecimals = (d: number) => {
  let f = byDecimals.get(d);
  if (!f) byDecimals.set(d, (f = grouped(d)));
  return f;
};

const isMissing = (n: number | null | undefined): n is null | undefined => n === null || n === undefined || !Number.isFinite(n);
// Rounding −0.4 must not print "-0".
const noNegativeZero = (s: string) => (/^-0(\.0+)?$/.test(s) ? s.slice(1) : s);

/** 1234567.8 → "1,234,568"; null → "—". */
export function formatKrw(n: number | null | undefined): string {
  return isMissing(n) ? '—' : noNegativeZero(KRW.format(Math.round(n)));
}

/** Signed KRW for PnL: "+12,345", "-3,000", "0". */
export function formatSignedKrw(n: number | null | undefined): string {
  if (isMissing(n)) return '—';
  const s = formatKrw(n);
  return Math.round(n) > 0 ? `+${s}` : s;
}

/** A KRW price with the decimals of its tick: 150000000 → "150,000,000", 512.34 → "512", 1.2345 → "1.23". */
export function formatPrice(price: number | null | undefined): string {
  if (isMissing(price)) return '—';
  return noNegativeZero(withDecimals(tickDecimals(krwTickSize(Math.abs(price)))).format(price));
}

/** Decimals a chart axis should show for prices around this one. */
export function priceDecimals(price: number): number {
  return tickDecimals(krwTickSize(Math.abs(price)));
}

/** A fraction as a signed percentage: 0.0312 → "+3.12%". */
export function formatPct(rate: number | null | undefined, digits = 2): string {
  if (isMissing(rate)) return '—';
  const s = noNegativeZero((rate * 100).toFixed(digits));
  return `${rate > 0 && Number(s) !== 0 ? '+' : ''}${s}%`;
}

/** A fraction as an unsigned percentage (win rate, quota use): 0.5 → "50.0%". */
export function formatRatio(rate: number | null | undefined, digits = 1): string {
  return isMissing(rate) ? '—' : `${(rate * 100).toFixed(digits)}%`;
}

const volumeFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 8 });

/** A volume with up to 8 decimals, trailing zeros dropped. */
export function formatVolume(v: number | null | undefined): string {
  if (isMissing(v)) return '—';
  return volumeFormat.format(v);
}

const kst = (ts: number) => new Date(ts + KST_OFFSET_MS).toISOString();

/** "2026-11-26 14:03:07" in Asia/Seoul. */
export function formatKst(ts: number | null | undefined): string {
  return isMissing(ts) ? '—' : kst(ts).slice(0, 19).replace('T', ' ');
}

/** "14:03:07" in Asia/Seoul. */
export function formatKstClock(ts: number): string {
  return kst(ts).slice(11, 19);
}

/** ISO 8601 with the +09:00 offset, for CSV and datetime attributes: "2026-11-26T14:03:07+09:00". */
export function toKstIso(ts: number): string {
  return `${kst(ts).slice(0, 19)}+09:00`;
}

export type DurationUnits = { d: string; h: string; m: string; s: string };

/** 93784000 → "1d 2h" / "1일 2시간": the two largest non-zero units. */
export function formatDuration(ms: number, u: DurationUnits): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const parts: Array<[number, string]> = [
    [Math.floor(total / 86_400), u.d],
    [Math.floor((total % 86_400) / 3_600), u.h],
    [Math.floor((total % 3_600) / 60), u.m],
    [total % 60, u.s],
  ];
  const first = parts.findIndex(([n]) => n > 0);
  if (first === -1) return `0${u.s}`;
  return parts
    .slice(first, first + 2)
    .filter(([n]) => n > 0)
    .map(([n, unit]) => `${n}${unit}`)
    .join(' ');
}
