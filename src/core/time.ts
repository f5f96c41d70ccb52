// Asia/Seoul calendar arithmetic (UTC+9, no DST): the "day" of the daily loss limit and the daily PnL book.

/** KST is UTC+9 all year; Korea has had no daylight saving time since 1988. */
export const KST_OFFSET_MS = 9 * 60 * 60 * 1000;
export const DAY_MS = 24 * 60 * 60 * 1000;

/** The Asia/Seoul calendar day of a UTC epoch-ms instant, as 'YYYY-MM-DD'. */
export function kstDayOf(ts: number): string {
  return new Date(ts + KST_OFFSET_MS).toISOString().slice(0, 10);
}

/** The UTC epoch ms of 00:00 KST that opens the given 'YYYY-MM-DD' day. */
export function kstDayStart(day: string): number {
  const ms = Date.parse(`${day}T00:00:00.000Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(ms)) throw new RangeError(`Not a calendar day: ${day}`);
  return ms - KST_OFFSET_MS;
}

/** The first 00:00 KST strictly after ts. */
export function nextKstMidnight(ts: number): number {
  return kstDayStart(kstDayOf(ts)) + DAY_MS;
}

/** The KST day before the given one. */
export function previousKstDay(day: string): string {
  return kstDayOf(kstDayStart(day) - 1);
}
