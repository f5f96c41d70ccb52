import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { createLogger } from '../../src/log.ts';
import { createTelegramBot } from '../../src/notify/telegram.ts';
import { createTelegramCommands } from '../../src/notify/telegram-commands.ts';
import { createTelegramPoller, type TelegramPoller } from '../../src/notify/telegram-poller.ts';
import { createFakeBot } from '../fakes/fake-bot.ts';
import { createFakeTelegram, FAKE_BOT_INFO, type FakeTelegram } from '../fakes/fake-telegram.ts';

const OWNER = 777;
let tg: FakeTelegram;
let lines: string[];
let poller: TelegramPoller | null;
beforeEach(() => {
  tg = createFakeTelegram();
  lines = [];
  poller = null;
});
afterEach(async () => {
  await poller?.stop();
  await tg.close();
});

function setup(opts: { token?: string; extra?: (bot: ReturnType<typeof createTelegramBot>) => void } = {}) {
  const logger = createLogger({ main: { write: (l: string) => void lines.push(l) }, pretty: 'false' });
  const bot = createTelegramBot({ token: opts.token ?? tg.token, apiRoot: tg.apiRoot, botInfo: FAKE_BOT_INFO });
  opts.extra?.(bot);
  const fake = createFakeBot({ status: { mode: 'demo' } });
  createTelegramCommands({ bot, chatId: OWNER, queries: fake.queries, commands: fake.commands, mode: 'demo', locale: 'en', clock: { now: () => 0 }, logger });
  const conflicts: number[] = [];
  poller = createTelegramPoller({ bot, logger, onConflict: () => conflicts.push(1), stopTimeoutMs: 2_000 });
  return { bot, fake, poller, conflicts };
}
const logged = (kind: string) => lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.kind === kind);

describe('Telegram poller', () => {
  test('polls in the background, answers commands, and stop() confirms the offset and ends polling', async () => {
    const { poller, fake } = setup();
    poller.start();
    expect(poller.state()).toBe('starting');
    tg.pushMessage(OWNER, '/pause');
    await tg.waitFor('sendMessage');
    expect(fake.calls).toEqual(['pause:telegram']);
    expect(String(tg.sent[0]!.text)).toBe('<b>[DEMO]</b> ✅ pause: paused');
    expect(poller.state()).toBe('running');
    await poller.stop();
    await poller.done();
    expect(poller.state()).toBe('stopped');
    const methods = tg.requests.map((r) => r.method);
    expect(methods[0]).toBe('deleteWebhook');
    expect(methods).not.toContain('getMe');
    const last = tg.requests.at(-1)!;
    expect(last).toMatchObject({ method: 'getUpdates', body: { limit: 1, offset: 2 } });
  });

  test('a 409 Conflict at start stops polling at once, says another process uses the token, and never retries', async () => {
    const { poller, conflicts } = setup();
    tg.setConflict(true);
    poller.start();
    await poller.done();
    expect(poller.state()).toBe('conflict');
    expect(conflicts).toEqual([1]);
    expect(tg.requests.filter((r) => r.method === 'getUpdates')).toHaveLength(1);
    const [line] = logged('telegram-conflict');
    expect(line).toMatchObject({ level: 'error' });
    expect(String(line!.msg)).toContain('another process is polling this bot token');
    await poller.stop();
    expect(tg.requests.filter((r) => r.method === 'getUpdates')).toHaveLength(1);
  });

  test('a 409 Conflict while running (a second poller appeared) also stops this one', async () => {
    const { poller, conflicts } = setup();
    poller.start();
    await tg.waitFor('getUpdates', 2);
    tg.setConflict(true);
    await poller.done();
    expect(poller.state()).toBe('conflict');
    expect(conflicts).toEqual([1]);
    const polls = tg.requests.filter((r) => r.method === 'getUpdates').length;
    tg.setConflict(false);
    tg.pushMessage(OWNER, '/status');
    await Bun.sleep(60);
    expect(tg.requests.filter((r) => r.method === 'getUpdates')).toHaveLength(polls);
    expect(tg.sent).toHaveLength(0);
  });

  test('a handler that throws is caught and logged; polling goes on', async () => {
    const { poller } = setup({
      extra: (bot) => bot.command('boom', () => {
        throw new Error('kaboom');
      }),
    });
    poller.start();
    tg.pushMessage(OWNER, '/boom');
    tg.pushMessage(OWNER, '/help');
    await tg.waitFor('sendMessage');
    expect(String(tg.sent[0]!.text)).toContain('Commands');
    expect(poller.state()).toBe('running');
    expect(logged('telegram-update')[0]).toMatchObject({ level: 'error', err: { message: 'kaboom' } });
  });

  test('a rejected token stops polling with a hint and no token in the log', async () => {
    const { poller } = setup({ token: '999:WRONG-secret' });
    poller.start();
    await poller.done();
    expect(poller.state()).toBe('token-rejected');
    const [line] = logged('telegram-poller').filter((l) => l.level === 'error');
    expect(String(line!.msg)).toContain('TELEGRAM_BOT_TOKEN');
    expect(lines.join('\n')).not.toContain('WRONG-secret');
  });
});
