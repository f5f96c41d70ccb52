import { describe, expect, test } from 'bun:test';
import {
  checkCooldown,
  checkDailyLoss,
  checkEntry,
  checkFunds,
  checkMarketFlags,
  checkMaxPositions,
  checkMinOrder,
  checkNoDuplicate,
  kstDayNumber,
  kstDayOf,
  kstDayStart,
  nextKstMidnight,
  NO_FLAGS,
  type EntryContext,
  type RiskSettings,
} from '../../src/core/risk.ts';

const H = 3_600_000;
const settings: RiskSettings = { investmentKrw: 100_000, maxPositions: 3, dailyLossLimit: -50_000, cooldownMinutes: 30, feeRate: 0.0005 };
const ctx = (over: Partial<EntryContext> = {}): EntryContext => ({
  market: 'KRW-BTC', now: Date.UTC(2025, 8, 2, 3), flags: NO_FLAGS, isHeld: false, isPending: false, openPositions: 0,
  pendingEntries: 0, realisedPnlTodayKrw: 0, freeKrw: 1_000_000, lastStopLossAt: null, ...over,
});

describe('kstDayOf', () => {
  test('the KST day starts at 15:00 UTC of the previous UTC day', () => {
    expect(kstDayOf(Date.UTC(2025, 8, 1, 14, 59, 59, 999))).toBe('2025-09-01');
    expect(kstDayOf(Date.UTC(2025, 8, 1, 15))).toBe('2025-09-02');
    expect(kstDayNumber(Date.UTC(2025, 8, 1, 15))).toBe(kstDayNumber(Date.UTC(2025, 8, 2, 14, 59)));
    expect(kstDayNumber(Date.UTC(2025, 8, 1, 14, 59))).toBe(kstDayNumber(Date.UTC(2025, 8, 1, 15)) - 1);
  });

  test('it agrees with the calendar across month, year and leap-day ends', () => {
    for (const t of [Date.UTC(2024, 1, 28, 15), Date.UTC(2024, 1, 29, 15), Date.UTC(2025, 11, 31, 15), Date.UTC(1999, 11, 31, 14), Date.UTC(2100, 1, 28, 15)]) {
      expect(kstDayOf(t)).toBe(new Date(t + 9 * H).toISOString().slice(0, 10));
    }
    expect(kstDayNumber(Date.UTC(1970, 0, 1, 15))).toBe(1);
  });

  test('the day number changes exactly at 00:00 KST and nextKstMidnight is the reset time', () => {
    expect(kstDayStart(kstDayOf(Date.UTC(2025, 8, 2, 3)))).toBe(Date.UTC(2025, 8, 1, 15));
    expect(kstDayNumber(kstDayStart('2024-02-29'))).toBe(kstDayNumber(Date.UTC(2024, 1, 29, 14, 59)));
    expect(nextKstMidnight(Date.UTC(2025, 8, 1, 15))).toBe(Date.UTC(2025, 8, 2, 15));
    expect(nextKstMidnight(Date.UTC(2025, 8, 1, 14, 59))).toBe(Date.UTC(2025, 8, 1, 15));
  });
});

describe('risk rules', () => {
  test('max positions counts pending entries', () => {
    expect(checkMaxPositions(2, 0, 3).ok).toBe(true);
    expect(checkMaxPositions(2, 1, 3)).toMatchObject({ ok: false, rule: 'max-positions' });
    expect(checkMaxPositions(0, 3, 3).ok).toBe(false);
  });

  test('a held or pending market is refused as a duplicate', () => {
    expect(checkNoDuplicate('KRW-A', true, false)).toMatchObject({ ok: false, rule: 'duplicate' });
    expect(checkNoDuplicate('KRW-A', false, true)).toMatchObject({ ok: false, rule: 'duplicate' });
    expect(checkNoDuplicate('KRW-A', false, false).ok).toBe(true);
  });

  test('the daily loss limit refuses at and below the limit only', () => {
    expect(checkDailyLoss(-49_999, -50_000).ok).toBe(true);
    expect(checkDailyLoss(-50_000, -50_000)).toMatchObject({ ok: false, rule: 'daily-loss' });
    expect(checkDailyLoss(-80_000, -50_000).ok).toBe(false);
  });

  test('free KRW must cover the amount plus the fee', () => {
    expect(checkFunds(100_050, 100_000, 0.0005).ok).toBe(true);
    expect(checkFunds(100_049, 100_000, 0.0005)).toMatchObject({ ok: false, rule: 'funds' });
  });

  test('the cooldown lasts exactly cooldownMinutes after a stop-loss and 0 disables it', () => {
    const stop = Date.UTC(2025, 8, 2, 1);
    expect(checkCooldown('KRW-A', stop, stop + 29 * 60_000, 30)).toMatchObject({ ok: false, rule: 'cooldown' });
    expect(checkCooldown('KRW-A', stop, stop + 30 * 60_000, 30).ok).toBe(true);
    expect(checkCooldown('KRW-A', stop, stop + 1, 0).ok).toBe(true);
    expect(checkCooldown('KRW-A', null, stop, 30).ok).toBe(true);
  });

  test('warning, caution and delisting markets are refused', () => {
    expect(checkMarketFlags('KRW-A', { isWarning: true, cautions: [] }).ok).toBe(false);
    expect(checkMarketFlags('KRW-A', { isWarning: false, cautions: ['PRICE_FLUCTUATIONS'] }).ok).toBe(false);
    expect(checkMarketFlags('KRW-A', { isWarning: false, cautions: [], delistingDate: '2025-10-01' }).ok).toBe(false);
    expect(checkMarketFlags('KRW-A', { isWarning: false, cautions: [], delistingDate: null }).ok).toBe(true);
  });

  test('orders below 5,000 KRW are refused', () => {
    expect(checkMinOrder(4_999)).toMatchObject({ ok: false, rule: 'min-order' });
    expect(checkMinOrder(5_000).ok).toBe(true);
  });
});

describe('checkEntry', () => {
  test('it passes when every rule passes', () => {
    expect(checkEntry(ctx(), settings)).toEqual({ ok: true });
  });

  test('it returns the first failing rule in order', () => {
    const allBad = ctx({
      flags: { isWarning: true, cautions: [] }, isHeld: true, openPositions: 3, realisedPnlTodayKrw: -90_000, freeKrw: 0,
      lastStopLossAt: Date.UTC(2025, 8, 2, 3),
    });
    expect(checkEntry(allBad, settings)).toMatchObject({ rule: 'market-flag' });
    expect(checkEntry({ ...allBad, flags: NO_FLAGS }, { ...settings, investmentKrw: 1_000 })).toMatchObject({ rule: 'min-order' });
    expect(checkEntry({ ...allBad, flags: NO_FLAGS }, settings)).toMatchObject({ rule: 'duplicate' });
    expect(checkEntry({ ...allBad, flags: NO_FLAGS, isHeld: false }, settings)).toMatchObject({ rule: 'max-positions' });
    expect(checkEntry({ ...allBad, flags: NO_FLAGS, isHeld: false, openPositions: 0 }, settings)).toMatchObject({ rule: 'daily-loss' });
    const noLoss = { ...allBad, flags: NO_FLAGS, isHeld: false, openPositions: 0, realisedPnlTodayKrw: 0 };
    expect(checkEntry(noLoss, settings)).toMatchObject({ rule: 'cooldown' });
    expect(checkEntry({ ...noLoss, lastStopLossAt: null }, settings)).toMatchObject({ rule: 'funds', ok: false });
  });
});
