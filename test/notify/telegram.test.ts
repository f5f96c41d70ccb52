import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { createLogger } from '../../src/log.ts';
import type { BotEvent } from '../../src/notify/events.ts';
import type { Locale } from '../../src/notify/format.ts';
import { createFanOut } from '../../src/notify/notifier.ts';
import { createTelegramBot, createTelegramChannel, TelegramSendError } from '../../src/notify/telegram.ts';
import { createFakeTelegram, FAKE_BOT_INFO, type FakeTelegram } from '../fakes/fake-telegram.ts';

const CHAT = 777;
let tg: FakeTelegram;
let lines: string[];

beforeEach(() => {
  tg = createFakeTelegram();
  lines = [];
});
afterEach(() => tg.close());

function setup(locale: Locale = 'en', token = tg.token) {
  const logger = createLogger({ main: { write: (l: string) => void lines.push(l) }, pretty: 'false' });
  const bot = createTelegramBot({ token, apiRoot: tg.apiRoot, botInfo: FAKE_BOT_INFO });
  const channel = createTelegramChannel({ api: bot.api, chatId: CHAT, logger });
  const fanOut = createFanOut({ channels: [channel], locale, logger, timeoutMs: 2_000 });
  return { channel, fanOut };
}

const at = 1_760_000_000_000;
const EVENTS: Record<string, BotEvent> = {
  buy: {
    type: 'buy', mode: 'paper', at, market: 'KRW-XRP', price: 812, amountKrw: 100_000, volume: 123.07692307, reason: 'signal',
    signalRatio: 3.4, adviser: { name: 'gemini', pick: 'KRW-XRP', confidence: 8 },
  },
  sell: { type: 'sell', mode: 'live', at, market: 'KRW-BTC', price: 143_250_000, volume: 0.0007, pnlKrw: 3_012, pnlRate: 0.0301, reason: 'take-profit' },
  loss: { type: 'sell', mode: 'demo', at, market: 'KRW-ETH', price: 5_000_000, volume: 0.02, pnlKrw: -2_040, pnlRate: -0.0204, reason: 'stop-loss' },
  limit: { type: 'daily-limit-hit', mode: 'live', at, day: '2025-10-09', realisedKrw: -51_000, limitKrw: -50_000 },
  halted: { type: 'halted', mode: 'live', at, code: 'ip-not-allowed', detail: 'Upbit said no_authorization_ip' },
  reconcile: { type: 'reconcile-discrepancy', mode: 'paper', at, kind: 'balance-mismatch', market: 'KRW-SOL', details: 'db 1.5, exchange 1.2' },
  summary: { type: 'daily-summary', mode: 'paper', at, day: '2025-10-09', trades: 4, wins: 3, losses: 1, pnlKrw: 7_500, equityKrw: 1_007_500 },
  started: { type: 'started', mode: 'demo', at, version: '0.1.0' },
  stopped: { type: 'stopped', mode: 'paper', at, reason: 'SIGTERM' },
};

/** What each message must say, per locale (badge first). */
const EXPECT: Record<Locale, Record<keyof typeof EVENTS, string[]>> = {
  en: {
    buy: ['<b>[PAPER]</b>', 'BUY KRW-XRP', 'Price 812 ', '100,000 KRW', 'volume spike 3.40×', 'AI pick (gemini): KRW-XRP, confidence 8/10'],
    sell: ['<b>[LIVE]</b>', 'SELL KRW-BTC', '(take-profit)', 'Price 143,250,000', '+3,012 KRW (+3.01%)'],
    loss: ['<b>[DEMO]</b>', 'SELL KRW-ETH', '(stop-loss)', '-2,040 KRW (-2.04%)'],
    limit: ['<b>[LIVE]</b>', 'Daily loss limit reached', '-51,000 KRW', '-50,000 KRW', '00:00 KST'],
    halted: ['<b>[LIVE]</b>', 'HALTED', 'no_authorization_ip', "Add this server's IP", '/resume'],
    reconcile: ['<b>[PAPER]</b>', 'Reconcile discrepancy', 'KRW-SOL', 'balance-mismatch', 'db 1.5, exchange 1.2'],
    summary: ['<b>[PAPER]</b>', 'Daily summary 2025-10-09', '4 trades', '3 won / 1 lost', '75.0%', '+7,500 KRW', '1,007,500 KRW'],
    started: ['<b>[DEMO]</b>', 'CoinButler started (v0.1.0)'],
    stopped: ['<b>[PAPER]</b>', 'CoinButler stopped: SIGTERM'],
  },
  ko: {
    buy: ['<b>[PAPER 모의]</b>', '매수 KRW-XRP', '체결가 812원', '100,000원', '거래량 급증 3.40배', 'AI 추천(gemini): KRW-XRP, 신뢰도 8/10'],
    sell: ['<b>[LIVE 실거래]</b>', '매도 KRW-BTC', '(익절)', '체결가 143,250,000원', '+3,012원 (+3.01%)'],
    loss: ['<b>[DEMO 데모]</b>', '매도 KRW-ETH', '(손절)', '-2,040원 (-2.04%)'],
    limit: ['<b>[LIVE 실거래]</b>', '일일 손실 한도 도달', '-51,000원', '-50,000원', '00:00 KST'],
    halted: ['<b>[LIVE 실거래]</b>', '봇 정지', 'no_authorization_ip', 'IP를 API 키 허용 목록에 추가', '/resume'],
    reconcile: ['<b>[PAPER 모의]</b>', '잔고/주문 불일치', 'KRW-SOL', 'balance-mismatch', 'db 1.5, exchange 1.2'],
    summary: ['<b>[PAPER 모의]</b>', '일일 요약 2025-10-09', '거래 4건', '승 3 / 패 1', '75.0%', '+7,500원', '1,007,500원'],
    started: ['<b>[DEMO 데모]</b>', 'CoinButler 시작 (v0.1.0)'],
    stopped: ['<b>[PAPER 모의]</b>', 'CoinButler 종료: SIGTERM'],
  },
};

describe('Telegram channel', () => {
  for (const locale of ['en', 'ko'] as const) {
    test(`every event reaches the chat as one HTML message in ${locale}, badge first, link previews off`, async () => {
      const { fanOut } = setup(locale);
      for (const event of Object.values(EVENTS)) expect(await fanOut.send(event)).toEqual([{ channel: 'telegram', ok: true }]);
      expect(tg.sent).toHaveLength(Object.keys(EVENTS).length);
      for (const [i, key] of Object.keys(EVENTS).entries()) {
        const body = tg.sent[i]!;
        expect(body).toMatchObject({ chat_id: CHAT, parse_mode: 'HTML', link_preview_options: { is_disabled: true } });
        const text = String(body.text);
        expect(text.startsWith(EXPECT[locale][key]![0]!)).toBe(true);
        for (const piece of EXPECT[locale][key]!) expect(text).toContain(piece);
      }
    });
  }

  test('hostile text is escaped: only the formatter\'s own <b> tags reach Telegram', async () => {
    const { fanOut } = setup('en');
    await fanOut.send({ type: 'stopped', mode: 'live', at, reason: '<script>alert(1)</script> & <b>bold</b>' });
    await fanOut.send({ type: 'reconcile-discrepancy', mode: 'paper', at, kind: 'a"b', market: 'KRW-<i>X</i>', details: 'x < y && y > z' });
    const [a, b] = tg.sent.map((s) => String(s.text));
    expect(a).toBe('<b>[LIVE]</b> ⏹ CoinButler stopped: &lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;');
    expect(b).toContain('KRW-&lt;i&gt;X&lt;/i&gt;');
    expect(b).toContain('x &lt; y &amp;&amp; y &gt; z');
    for (const text of [a!, b!]) for (const tag of text.match(/<[^>]*>/g) ?? []) expect(['<b>', '</b>']).toContain(tag);
  });

  test('a 400 "can\'t parse entities" is retried once as plain text, and that counts as delivered', async () => {
    const { channel } = setup('en');
    tg.failNext('sendMessage', { status: 400, description: "Bad Request: can't parse entities: Unsupported start tag" });
    await channel.send(EVENTS.stopped!, '<b>[PAPER]</b> a &lt;b&gt; &amp; c');
    expect(tg.requests.filter((r) => r.method === 'sendMessage')).toHaveLength(2);
    expect(tg.sent).toEqual([{ chat_id: CHAT, text: '[PAPER] a <b> & c', link_preview_options: { is_disabled: true } }]);
  });

  test('a 429 throws TelegramSendError carrying retry_after in ms; a 500 throws unavailable', async () => {
    const { channel } = setup('en');
    tg.failNext('sendMessage', { status: 429, description: 'Too Many Requests: retry after 7', retryAfter: 7 });
    const err = await channel.send(EVENTS.started!, 'hi').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TelegramSendError);
    expect(err).toMatchObject({ kind: 'rate-limited', code: 429, retryAfterMs: 7_000 });
    tg.failNext('sendMessage', { status: 500, description: 'Internal Server Error' });
    expect(await channel.send(EVENTS.started!, 'hi').catch((e: unknown) => e)).toMatchObject({ kind: 'unavailable', code: 500, retryAfterMs: null });
    expect(tg.sent).toHaveLength(0);
  });

  test('a rejected token is logged once at error with a hint and never with the token', async () => {
    const { channel } = setup('en', '999:WRONG-secret-token');
    for (let i = 0; i < 3; i += 1) {
      expect(await channel.send(EVENTS.started!, 'hi').catch((e: unknown) => e)).toMatchObject({ kind: 'token-rejected', code: 401 });
    }
    const errors = lines.filter((l) => l.includes('TELEGRAM_BOT_TOKEN'));
    expect(errors).toHaveLength(1);
    expect(JSON.parse(errors[0]!)).toMatchObject({ level: 'error', code: 401 });
    expect(lines.join('\n')).not.toContain('WRONG-secret-token');
  });

  test('an unreachable Telegram throws an error whose message and cause never contain the token', async () => {
    const bot = createTelegramBot({ token: '555:SECRET-abc', apiRoot: 'http://127.0.0.1:1', botInfo: FAKE_BOT_INFO });
    const channel = createTelegramChannel({ api: bot.api, chatId: CHAT, logger: createLogger({ main: null }) });
    const err = (await channel.send(EVENTS.started!, 'hi').catch((e: unknown) => e)) as TelegramSendError;
    expect(err).toMatchObject({ kind: 'unavailable', code: null });
    expect(JSON.stringify({ m: err.message, c: String(err.cause) })).not.toContain('SECRET-abc');
  });

  test('a send Telegram never answers is aborted by the channel as unavailable', async () => {
    const bot = createTelegramBot({ token: tg.token, apiRoot: tg.apiRoot, botInfo: FAKE_BOT_INFO });
    const channel = createTelegramChannel({ api: bot.api, chatId: CHAT, logger: createLogger({ main: null }), sendTimeoutMs: 50 });
    tg.hangNext('sendMessage');
    expect(await channel.send(EVENTS.started!, 'hi').catch((e: unknown) => e)).toMatchObject({ name: 'TelegramSendError', kind: 'unavailable' });
    await channel.send(EVENTS.started!, 'again');
    expect(tg.sent.map((s) => s.text)).toEqual(['again']);
  });

  test('a text over 4096 characters goes out in several messages, each within the limit, in order', async () => {
    const { channel } = setup('en');
    const lines = Array.from({ length: 300 }, (_, i) => `<b>line ${i}</b> ${'x'.repeat(20)}`);
    await channel.send(EVENTS.summary!, lines.join('\n'));
    expect(tg.sent.length).toBeGreaterThan(1);
    for (const s of tg.sent) expect(String(s.text).length).toBeLessThanOrEqual(4096);
    expect(tg.sent.map((s) => String(s.text)).join('\n')).toBe(lines.join('\n'));
  });
});

describe('credentials in an event detail', () => {
  test('a JWT (a libSQL authToken in a URL), a bearer token or a bot token in a detail never reaches the chat', async () => {
    const jwt = 'eyJhbGciOiJFZERTQSJ9.eyJpYXQiOjE3MDAwMDAwMDB9.c2lnbmF0dXJlLXNlY3JldA';
    const detail = `fetch failed: https://coin.turso.io/v2/pipeline?authToken=${jwt}; Bearer upbit-bearer-secret; https://api.telegram.org/bot123456:AAH-tg-token-secret/getMe`;
    const { fanOut } = setup('en');
    const [r] = await fanOut.send({ type: 'halted', mode: 'live', at, code: 'repeated-errors', detail });
    expect(r!.ok).toBe(true);
    const text = String(tg.sent.at(-1)!.text);
    expect(text).toContain('<b>[LIVE]</b>');
    expect(text).toContain('fetch failed');
    for (const secret of [jwt, 'upbit-bearer-secret', 'AAH-tg-token-secret']) expect(text).not.toContain(secret);
  });
});
