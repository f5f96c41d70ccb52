import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import type { PositionView, TradeView } from '../../src/bot/view.ts';
import { createLogger } from '../../src/log.ts';
import type { Locale } from '../../src/notify/format.ts';
import { createTelegramBot } from '../../src/notify/telegram.ts';
import { createTelegramCommands } from '../../src/notify/telegram-commands.ts';
import { createFakeBot, type FakeBotSeed } from '../fakes/fake-bot.ts';
import { callbackUpdate, createFakeTelegram, FAKE_BOT_INFO, messageUpdate, type FakeTelegram } from '../fakes/fake-telegram.ts';

const OWNER = 777;
const STRANGER = 666;
const NOW = Date.UTC(2025, 9, 9, 3, 0); // 12:00 KST on 2025-10-09
const CODE = '211110'; // what random() = 0.123456 gives

let tg: FakeTelegram;
let lines: string[];
const clock = { t: NOW, now() { return this.t; } };
beforeEach(() => {
  tg = createFakeTelegram();
  lines = [];
  clock.t = NOW;
});
afterEach(() => tg.close());

const position = (id: number, market: string, over: Partial<PositionView> = {}): PositionView => ({
  id, market, state: 'open', volume: 0.001, entryPrice: 140_000_000, currentPrice: 141_400_000, pnlKrw: 1_400, pnlRate: 0.01,
  takeProfitPrice: null, stopLossPrice: null, openedAt: NOW - 60_000, ...over,
});
const trade = (id: number, pnlKrw: number, closedAt: number): TradeView => ({
  id, market: 'KRW-XRP', entryPrice: 800, exitPrice: 810, volume: 100, entryCostKrw: 80_000, pnlKrw, pnlRate: pnlKrw / 80_000,
  openedAt: closedAt - 60_000, closedAt, exitReason: 'take-profit',
});
const SEED: FakeBotSeed = {
  status: { mode: 'live', krw: 850_000, equity: 991_400, todayPnl: -12_000, dailyLossLimit: -50_000, openPositions: 2, maxPositions: 3 },
  positions: [position(11, 'KRW-BTC'), position(12, 'KRW-<b>EVIL&CO</b>', { pnlKrw: -500, pnlRate: -0.005 })],
  trades: [trade(1, 2_000, NOW - 3_600_000), trade(2, -14_000, NOW - 1_800_000), trade(3, 5_000, NOW - 3 * 86_400_000)],
};

function setup(locale: Locale = 'en', seed: FakeBotSeed = SEED) {
  const logger = createLogger({ main: { write: (l: string) => void lines.push(l) }, pretty: 'false' });
  const bot = createTelegramBot({ token: tg.token, apiRoot: tg.apiRoot, botInfo: FAKE_BOT_INFO });
  const fake = createFakeBot(seed);
  createTelegramCommands({
    bot, chatId: String(OWNER), queries: fake.queries, commands: fake.commands, mode: 'live', locale, clock, logger, random: () => 0.123456,
  });
  const say = async (text: string, chat = OWNER) => {
    const before = tg.sent.length;
    await bot.handleUpdate(messageUpdate(chat, text) as never);
    return tg.sent.slice(before).map((s) => String(s.text)).join('\n');
  };
  const press = (data: string, chat = OWNER) => bot.handleUpdate(callbackUpdate(chat, data, 555) as never);
  return { bot, fake, say, press };
}

describe('Telegram commands', () => {
  test('read commands answer the owner in English, each with the LIVE badge', async () => {
    const { say, fake } = setup('en');
    const answers = {
      status: await say('/status'), balance: await say('/balance'), profit: await say('/profit'),
      daily: await say('/daily'), positions: await say('/positions'), help: await say('/help'),
    };
    for (const text of Object.values(answers)) expect(text.startsWith('<b>[LIVE]</b> ')).toBe(true);
    expect(answers.status).toContain('State: running');
    expect(answers.status).toContain('Positions 2/3');
    expect(answers.balance).toContain('KRW 850,000 KRW');
    expect(answers.balance).toContain('Equity 991,400 KRW');
    expect(answers.profit).toContain('-7,000 KRW');
    expect(answers.profit).toContain('3 trades · 2 won');
    expect(answers.daily).toContain('Today 2025-10-09');
    expect(answers.daily).toContain('-12,000 KRW (2 trades)');
    expect(answers.daily).toContain('room left 38,000 KRW');
    expect(answers.positions).toContain('KRW-BTC');
    expect(answers.positions).toContain('KRW-&lt;b&gt;EVIL&amp;CO&lt;/b&gt;');
    expect(answers.positions).toContain('+1,400 KRW (+1.00%)');
    for (const c of ['/status', '/balance', '/profit', '/daily', '/positions', '/pause', '/resume', '/sell', '/sellall']) expect(answers.help).toContain(c);
    expect(fake.calls).toEqual([]);
    expect(tg.sent.every((s) => s.chat_id === String(OWNER) && s.parse_mode === 'HTML')).toBe(true);
  });

  test('read commands answer in Korean with the Korean badge', async () => {
    const { say } = setup('ko');
    expect(await say('/status')).toStartWith('<b>[LIVE 실거래]</b> <b>상태: 실행 중</b>');
    expect(await say('/balance')).toContain('평가자산 991,400원');
    expect(await say('/daily')).toContain('일일 손실 한도 -50,000원');
    expect(await say('/positions')).toContain('보유 포지션 2개');
  });

  test('/pause and /resume call the bot commands once each, as "telegram"', async () => {
    const { say, fake } = setup('en');
    expect(await say('/pause')).toBe('<b>[LIVE]</b> ✅ pause: paused');
    expect(await say('/resume')).toBe('<b>[LIVE]</b> ✅ resume: running');
    expect(fake.calls).toEqual(['pause:telegram', 'resume:telegram']);
  });

  test('a refused command is reported with its (escaped) reason', async () => {
    const { say } = setup('en', { ...SEED, refuseWith: 'halted <auth> & locked' });
    expect(await say('/resume')).toBe('<b>[LIVE]</b> ❌ resume: halted &lt;auth&gt; &amp; locked');
  });

  test('commands from another chat are ignored, never answered, and logged with that chat id', async () => {
    const { say, fake, press } = setup('en');
    await say('/pause', STRANGER);
    await say('/sellall', STRANGER);
    await say('/status', STRANGER);
    await press(`confirm:${CODE}`, STRANGER);
    expect(fake.calls).toEqual([]);
    expect(tg.requests.map((r) => r.method)).toEqual([]);
    const warned = lines.map((l) => JSON.parse(l)).filter((l) => l.kind === 'telegram-foreign-chat');
    expect(warned.length).toBeGreaterThanOrEqual(1);
    expect(warned[0]).toMatchObject({ level: 'warn', chatId: STRANGER });
  });

  test('/sell asks for confirmation; /confirm with the code sells that position once', async () => {
    const { say, fake } = setup('en');
    const ask = await say('/sell btc');
    expect(ask).toContain('Sell KRW-BTC?');
    expect(ask).toContain(`/confirm ${CODE}`);
    expect(tg.sent.at(-1)!.reply_markup).toEqual({
      inline_keyboard: [[{ text: '✅ Confirm', callback_data: `confirm:${CODE}` }, { text: 'Cancel', callback_data: `cancel:${CODE}` }]],
    });
    expect(fake.calls).toEqual([]);
    expect(await say(`/confirm ${CODE}`)).toBe('<b>[LIVE]</b> ✅ sell KRW-BTC: selling');
    expect(await say(`/confirm ${CODE}`)).toContain('does not match');
    expect(fake.calls).toEqual(['sell:11:telegram']);
  });

  test('a wrong code does nothing; an expired code does nothing', async () => {
    const { say, fake } = setup('en');
    await say('/sell KRW-BTC');
    expect(await say('/confirm 999999')).toContain('does not match');
    expect(await say('/confirm')).toContain('does not match');
    clock.t += 60_001;
    expect(await say(`/confirm ${CODE}`)).toContain('expired');
    expect(await say(`/confirm ${CODE}`)).toContain('does not match');
    expect(fake.calls).toEqual([]);
  });

  test('/sellall confirmed by the inline button sells everything once and edits the question', async () => {
    const { say, press, fake } = setup('en');
    expect(await say('/sellall')).toContain('Sell all 2 positions?');
    await press(`confirm:${CODE}`);
    await press(`confirm:${CODE}`);
    expect(fake.calls).toEqual(['sellAll:telegram']);
    const edits = tg.requests.filter((r) => r.method === 'editMessageText');
    expect(edits).toHaveLength(2);
    expect(String(edits[1]!.body.text)).toContain('does not match');
    expect(edits[0]!.body).toMatchObject({ message_id: 555, parse_mode: 'HTML', text: '<b>[LIVE]</b> ✅ sell all: selling all' });
    expect(tg.requests.filter((r) => r.method === 'answerCallbackQuery')).toHaveLength(2);
  });

  test('the Cancel button drops the pending sell; a later /confirm does nothing', async () => {
    const { say, press, fake } = setup('en');
    await say('/sellall');
    await press(`cancel:${CODE}`);
    expect(await say(`/confirm ${CODE}`)).toContain('does not match');
    expect(fake.calls).toEqual([]);
  });

  test('/sell of a market without a position, or without a market, asks nothing', async () => {
    const { say, fake } = setup('en');
    expect(await say('/sell KRW-DOGE')).toContain('No open position in KRW-DOGE');
    expect(await say('/sell')).toContain('Usage');
    expect(await say(`/confirm ${CODE}`)).toContain('does not match');
    expect(fake.calls).toEqual([]);
  });

  test('an unknown command points to /help', async () => {
    const { say } = setup('en');
    expect(await say('/moon')).toBe('<b>[LIVE]</b> Unknown command. /help');
  });
});
