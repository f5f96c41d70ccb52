// Wire formatting for the simulator: Upbit decimal strings, KST/UTC timestamps, candle and ticker date fields.
import { toDecimalString } from '../core/ticks.ts';

const KST_OFFSET_MS = 9 * 3_600_000;

/** Exchange amounts go out as decimal strings ("0.00003736", "5000"); 8 decimals at most, no exponent. */
export const amount = (value: number): string => toDecimalString(Math.abs(value) < 1e-12 ? 0 : value, 8);

/** "2025-07-04T15:00:00+09:00" (order created_at). */
export function kstIso(ms: number): string {
  return `${new Date(ms + KST_OFFSET_MS).toISOString().slice(0, 19)}+09:00`;
}

/** "2025-08-09T16:44:00.597751+09:00" (trade created_at, microseconds). */
export function kstIsoMicros(micros: number): string {
  const ms = Math.floor(micros / 1000);
  const frac = String(micros % 1_000_000).padStart(6, '0');
  return `${new Date(ms + KST_OFFSET_MS).toISOString().slice(0, 19)}.${frac}+09:00`;
}

/** Candle bucket labels: "yyyy-MM-ddTHH:mm:ss", no zone. */
export const utcLabel = (ms: number): string => new Date(ms).toISOString().slice(0, 19);
export const kstLabel = (ms: number): string => new Date(ms + KST_OFFSET_MS).toISOString().slice(0, 19);

/** Ticker REST fields: digits only ("20250704", "051400"). */
export const utcDate8 = (ms: number): string => utcLabel(ms).slice(0, 10).replaceAll('-', '');
export const utcTime6 = (ms: number): string => utcLabel(ms).slice(11, 19).replaceAll(':', '');
export const kstDate8 = (ms: number): string => kstLabel(ms).slice(0, 10).replaceAll('-', '');
export const kstTime6 = (ms: number): string => kstLabel(ms).slice(11, 19).replaceAll(':', '');

/**
 * Parses an Upbit time parameter: ISO 8601 with or without an offset ("2025-06-24T04:56:53Z",
 * "2025-06-24 04:56:53", "2025-06-24T13:56:53+09:00"; no offset means UTC) or epoch ms digits.
 * Returns null when it is not a time.
 */
export function parseTimeParam(raw: string): number | null {
  const s = raw.trim();
  if (/^\d{10,}$/.test(s)) return Number(s);
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2}(?:\.\d+)?)(Z|[+-]\d{2}:?\d{2})?$/.exec(s);
  if (!m) return null;
  const zone = m[3] === undefined ? 'Z' : m[3];
  const t = Date.parse(`${m[1]}T${m[2]}${zone}`);
  return Number.isNaN(t) ? null : t;
}
