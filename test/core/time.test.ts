import { describe, expect, test } from 'bun:test';
import { kstDayOf, kstDayStart, nextKstMidnight, previousKstDay } from '../../src/core/time.ts';

describe('KST calendar', () => {
  test('kstDayOf() turns the day at 15:00 UTC (00:00 KST)', () => {
    expect(kstDayOf(Date.UTC(2026, 0, 1, 14, 59, 59, 999))).toBe('2026-01-01');
    expect(kstDayOf(Date.UTC(2026, 0, 1, 15, 0, 0, 0))).toBe('2026-01-02');
    expect(kstDayOf(Date.UTC(2025, 11, 31, 15, 0))).toBe('2026-01-01');
  });

  test('kstDayStart() is 15:00 UTC of the previous calendar day and rejects garbage', () => {
    expect(kstDayStart('2026-01-02')).toBe(Date.UTC(2026, 0, 1, 15));
    expect(() => kstDayStart('2026-1-2')).toThrow(RangeError);
    expect(() => kstDayStart('not a day')).toThrow(RangeError);
  });

  test('nextKstMidnight() is strictly after the instant', () => {
    const midnight = Date.UTC(2026, 0, 1, 15);
    expect(nextKstMidnight(midnight - 1)).toBe(midnight);
    expect(nextKstMidnight(midnight)).toBe(midnight + 86_400_000);
  });

  test('previousKstDay() crosses month and year ends', () => {
    expect(previousKstDay('2026-01-01')).toBe('2025-12-31');
    expect(previousKstDay('2024-03-01')).toBe('2024-02-29');
  });
});
