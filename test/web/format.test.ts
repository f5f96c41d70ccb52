import { describe, expect, test } from 'bun:test';
import {
  formatDuration, formatKrw, formatKst, formatKstClock, formatPct, formatPrice, formatRatio, formatSignedKrw, formatVolume, toKstIso,
} from '../../src/web/format.ts';
import { createI18n } from '../../src/web/i18n.ts';

describe('number formatting for Korean traders', () => {
  test('KRW has no decimals and thousands separators', () => {
    expect(formatKrw(1_234_567.89)).toBe('1,234,568');
    expect(formatKrw(-50_000)).toBe('-50,000');
    expect(formatKrw(-0.4)).toBe('0');
    expect(formatKrw(null)).toBe('—');
    expect(formatKrw(Number.NaN)).toBe('—');
  });

  test('signed KRW marks gains with a plus', () => {
    expect(formatSignedKrw(12_345.4)).toBe('+12,345');
    expect(formatSignedKrw(-3_000)).toBe('-3,000');
    expect(formatSignedKrw(0.2)).toBe('0');
  });

  test('prices keep the decimals of their tick band', () => {
    expect(formatPrice(150_000_000)).toBe('150,000,000');
    expect(formatPrice(3_215)).toBe('3,215');
    expect(formatPrice(512.34)).toBe('512');
    expect(formatPrice(12.345)).toBe('12.3');
    expect(formatPrice(1.2345)).toBe('1.23');
    expect(formatPrice(0.012345)).toBe('0.0123');
    expect(formatPrice(null)).toBe('—');
  });

  test('percentages are signed, ratios are not', () => {
    expect(formatPct(0.0312)).toBe('+3.12%');
    expect(formatPct(-0.0114)).toBe('-1.14%');
    expect(formatPct(-0.00001)).toBe('0.00%');
    expect(formatRatio(0.6)).toBe('60.0%');
    expect(formatRatio(null)).toBe('—');
  });

  test('volumes show up to 8 decimals without trailing zeros', () => {
    expect(formatVolume(0.00066666)).toBe('0.00066666');
    expect(formatVolume(31.1)).toBe('31.1');
    expect(formatVolume(1234.5)).toBe('1,234.5');
  });
});

describe('times in KST', () => {
  const t = Date.UTC(2026, 10, 26, 15, 3, 7); // 00:03:07 KST on the 27th
  test('a UTC instant is shown as Seoul wall time, crossing midnight', () => {
    expect(formatKst(t)).toBe('2026-11-27 00:03:07');
    expect(formatKstClock(t)).toBe('00:03:07');
    expect(toKstIso(t)).toBe('2026-11-27T00:03:07+09:00');
    expect(formatKst(null)).toBe('—');
  });

  test('durations use the two largest units of the locale', () => {
    const ko = createI18n('ko').units;
    const en = createI18n('en').units;
    expect(formatDuration(93_784_000, en)).toBe('1d 2h');
    expect(formatDuration(93_784_000, ko)).toBe('1일 2시간');
    expect(formatDuration(47 * 60_000 + 5_000, ko)).toBe('47분 5초');
    expect(formatDuration(3_600_000, en)).toBe('1h');
    expect(formatDuration(400, en)).toBe('0s');
  });
});

describe('dictionary', () => {
  test('Korean is the default and English has every key', () => {
    expect(createI18n().t('pause')).toBe('일시정지');
    expect(createI18n('en').t('pause')).toBe('Pause');
    expect(createI18n('en').t('confirmSell', { market: 'KRW-BTC' })).toBe('Sell the KRW-BTC position at market?');
  });

  test('an open-set value falls back to itself when the dictionary has no word for it', () => {
    const { label } = createI18n('ko');
    expect(label('exit', 'take-profit')).toBe('익절');
    expect(label('exit', 'something-new')).toBe('something-new');
  });
});
