import { describe, expect, test } from 'bun:test';
import type { BotEvent } from '../../src/notify/events.ts';
import {
  escapeHtml,
  escapeHtmlAttr,
  formatEvent,
  formatKrw,
  formatPnl,
  formatPrice,
  formatRate,
  modeBadge,
} from '../../src/notify/format.ts';

const at = Date.UTC(2026, 0, 2, 3, 4, 5);

const ALL_EVENTS: BotEvent[] = [
  { type: 'started', mode: 'paper', at, version: '0.1.0' },
  { type: 'stopped', mode: 'paper', at, reason: 'SIGTERM' },
  { type: 'buy', mode: 'live', at, market: 'KRW-BTC', price: 143_250_000, amountKrw: 100_000, volume: 0.00069808, reason: 'signal', signalRatio: 2.345, adviser: { name: 'gemini', pick: 'KRW-BTC', confidence: 8 } },
  { type: 'sell', mode: 'live', at, market: 'KRW-XRP', price: 2_345, volume: 42.5, pnlKrw: 3_012.4, pnlRate: 0.03012, reason: 'take-profit' },
  { type: 'daily-limit-hit', mode: 'paper', at, day: '2026-01-02', realisedKrw: -52_000, limitKrw: -50_000 },
  { type: 'daily-limit-reset', mode: 'paper', at, day: '2026-01-03' },
  { type: 'halted', mode: 'live', at, code: 'auth-failed', detail: 'invalid_access_key' },
  { type: 'resumed', mode: 'paper', at, by: 'telegram', from: 'halted' },
  { type: 'paused', mode: 'paper', at, by: 'dashboard', reason: null },
  { type: 'reconcile-discrepancy', mode: 'paper', at, kind: 'balance-mismatch', market: 'KRW-ETH', details: 'db 1.0 vs exchange 0.5' },
  { type: 'daily-summary', mode: 'demo', at, day: '2026-01-02', trades: 5, wins: 3, losses: 2, pnlKrw: 12_345, equityKrw: 1_012_345 },
  { type: 'feed-down', mode: 'paper', at, detail: 'socket closed 1006' },
  { type: 'feed-up', mode: 'paper', at, downMs: 12_400 },
  { type: 'order-unknown', mode: 'live', at, market: 'KRW-BTC', side: 'buy', identifier: 'cb-123', detail: 'POST timed out' },
  { type: 'exit-failed', mode: 'live', at, market: 'KRW-SOL', reason: 'stop-loss', detail: 'SqliteError: database or disk is full', failures: 3, retryInMs: 30_000 },
];

describe('number formatting', () => {
  test('KRW has no decimals and thousands separators, with the locale unit', () => {
    expect(formatKrw(1_234_567.8, 'ko')).toBe('1,234,568원');
    expect(formatKrw(100_000, 'en')).toBe('100,000 KRW');
    expect(formatKrw(-0.2, 'en')).toBe('0 KRW');
  });

  test('prices keep the decimals of their tick', () => {
    expect(formatPrice(143_250_000)).toBe('143,250,000');
    expect(formatPrice(2_345)).toBe('2,345');
    expect(formatPrice(2.345)).toBe('2.35');
    expect(formatPrice(0.01234)).toBe('0.0123');
    expect(formatPrice(512.3)).toBe('512');
  });

  test('PnL is signed with a percentage to 2 decimals', () => {
    expect(formatRate(0.0123)).toBe('+1.23%');
    expect(formatRate(-0.02)).toBe('-2.00%');
    expect(formatRate(0.00001)).toBe('0.00%');
    expect(formatPnl(3_000, 0.03, 'ko')).toBe('+3,000원 (+3.00%)');
    expect(formatPnl(-2_104.6, -0.021, 'en')).toBe('-2,105 KRW (-2.10%)');
    expect(formatPnl(0, 0, 'en')).toBe('0 KRW (0.00%)');
  });

  test('the mode badge always carries the English word', () => {
    expect(modeBadge('live', 'ko')).toContain('LIVE');
    expect(modeBadge('paper', 'ko')).toContain('PAPER');
    expect(modeBadge('demo', 'en')).toBe('[DEMO]');
  });
});

describe('formatEvent()', () => {
  test('every event renders in both locales with its mode badge first', () => {
    for (const e of ALL_EVENTS) {
      const ko = formatEvent(e, { locale: 'ko' });
      const en = formatEvent(e, { locale: 'en' });
      expect(ko.startsWith(modeBadge(e.mode, 'ko'))).toBe(true);
      expect(en.startsWith(modeBadge(e.mode, 'en'))).toBe(true);
      expect(ko).not.toBe(en);
      expect(en.length).toBeLessThan(400);
      expect(ko).not.toContain('undefined');
      expect(en).not.toContain('undefined');
    }
  });

  test('a buy shows market, fill price, amount, volume, ratio and the adviser pick', () => {
    const en = formatEvent(ALL_EVENTS[2]!, { locale: 'en' });
    expect(en).toBe(
      '[LIVE] 🟢 BUY KRW-BTC\nPrice 143,250,000 · Amount 100,000 KRW · Volume 0.00069808\nReason: volume spike 2.35×\nAI pick (gemini): KRW-BTC, confidence 8/10',
    );
    const ko = formatEvent(ALL_EVENTS[2]!, { locale: 'ko' });
    expect(ko).toContain('매수 KRW-BTC');
    expect(ko).toContain('143,250,000원');
    expect(ko).toContain('신뢰도 8/10');
  });

  test('a failed exit names the market, the rule, the attempt, the cause and that the position is unprotected', () => {
    const failed = ALL_EVENTS.find((e) => e.type === 'exit-failed')!;
    expect(formatEvent(failed, { locale: 'en' })).toBe(
      '[LIVE] 🚨 SELL FAILED KRW-SOL (stop-loss, attempt 3)\nCause: SqliteError: database or disk is full\nRetrying in 30 s; the position is unprotected until the sell goes through.',
    );
    expect(formatEvent(failed, { locale: 'ko' })).toContain('매도 실패 KRW-SOL (손절, 3회째)');
  });

  test('a sell shows the signed PnL, its percentage and the localized reason', () => {
    expect(formatEvent(ALL_EVENTS[3]!, { locale: 'ko' })).toBe(
      '[LIVE 실거래] 💰 매도 KRW-XRP (익절)\n체결가 2,345원 · 수량 42.5\n손익 +3,012원 (+3.01%)',
    );
    const loss: BotEvent = { ...(ALL_EVENTS[3] as Extract<BotEvent, { type: 'sell' }>), pnlKrw: -2_000, pnlRate: -0.02, reason: 'stop-loss' };
    expect(formatEvent(loss, { locale: 'en' })).toContain('PnL -2,000 KRW (-2.00%)');
    expect(formatEvent(loss, { locale: 'en' })).toContain('(stop-loss)');
  });

  test('a halt says what happened and what to do', () => {
    const en = formatEvent(ALL_EVENTS[6]!, { locale: 'en' });
    expect(en).toContain('invalid_access_key');
    expect(en).toContain('API keys');
    expect(en).toContain('/resume');
  });

  test('the html variant escapes hostile dynamic text and keeps its own tags', () => {
    const hostile = '<script>alert("x")</script> & <b>';
    const events: BotEvent[] = [
      { type: 'halted', mode: 'live', at, code: 'other', detail: hostile },
      { type: 'reconcile-discrepancy', mode: 'live', at, kind: hostile, market: hostile, details: hostile },
      { type: 'buy', mode: 'live', at, market: hostile, price: 1, amountKrw: 5_000, volume: 1, reason: 'signal', adviser: { name: hostile, pick: hostile, confidence: 6 } },
      { type: 'stopped', mode: 'live', at, reason: hostile },
    ];
    for (const e of events) {
      for (const locale of ['ko', 'en'] as const) {
        const html = formatEvent(e, { locale, format: 'html' });
        expect(html).not.toContain('<script>');
        expect(html).not.toContain('& ');
        expect(html).toContain('&lt;script&gt;');
        // the only tags left are the formatter's own <b>…</b>
        expect(html.replace(/<\/?b>/g, '')).not.toMatch(/[<>]/);
        // the plain variant keeps the text as it was
        expect(formatEvent(e, { locale })).toContain(hostile);
      }
    }
  });

  test('the html variant marks the badge in bold', () => {
    expect(formatEvent(ALL_EVENTS[0]!, { locale: 'en', format: 'html' }).startsWith('<b>[PAPER]</b> ')).toBe(true);
  });
});

describe('escaping', () => {
  test('escapeHtml escapes &, < and > and leaves quotes; escapeHtmlAttr also escapes "', () => {
    expect(escapeHtml('a & b <c> "d"')).toBe('a &amp; b &lt;c&gt; "d"');
    expect(escapeHtmlAttr('a & "d"')).toBe('a &amp; &quot;d&quot;');
    expect(escapeHtml('&amp;')).toBe('&amp;amp;');
  });
});
