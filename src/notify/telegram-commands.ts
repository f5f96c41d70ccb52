// Telegram owner commands: only from TELEGRAM_CHAT_ID, answered in HTML with the mode badge, acting through bot/ only.
import type { Bot, Context } from 'grammy';
import type { InlineKeyboardMarkup } from 'grammy/types';
import { toMarketCode, type BotCommands, type BotQueries, type CommandResult, type TradeView, type TradingMode } from '../bot/view.ts';
import { createLogOnce } from '../bot/log-once.ts';
import type { Clock } from '../clock.ts';
import { kstDayOf } from '../core/time.ts';
import type { Logger } from '../log.ts';
import type { Locale } from './format.ts';
import { errorText } from '../error-text.ts';
import { createConfirmStore, type ConfirmStore, type PendingAction, type TakeResult } from './telegram-confirm.ts';
import { createReplies, type Replies } from './telegram-replies.ts';
import { sendHtml } from './telegram.ts';

export type TelegramCommandsDeps = {
  bot: Bot;
  /** The only chat whose commands are obeyed (TELEGRAM_CHAT_ID). */
  chatId: string | number;
  queries: BotQueries;
  commands: BotCommands;
  mode: TradingMode;
  locale: Locale;
  clock: Clock;
  logger: Logger;
  /** How long a /sell or /sellall confirmation stays valid. Default 60 s. */
  confirmTtlMs?: number;
  /** [0, 1) source for confirmation codes; Math.random by default. */
  random?: () => number;
};

export type TelegramCommands = { confirmations: ConfirmStore };

/** Who the bot/ commands are told acted. */
export const TELEGRAM_ACTOR = 'telegram';
const PAGE = 500;
const MAX_PAGES = 40;

async function allTrades(queries: BotQueries): Promise<TradeView[]> {
  const out: TradeView[] = [];
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const p = await queries.trades({ limit: PAGE, offset: page * PAGE });
    out.push(...p.items);
    if (p.items.length < PAGE || out.length >= p.total) break;
  }
  return out;
}

/** Registers the chat guard and every command on `bot`; call once, before the poller starts it. */
export function createTelegramCommands(deps: TelegramCommandsDeps): TelegramCommands {
  const { bot, queries, commands, logger } = deps;
  const chatId = String(deps.chatId);
  const r: Replies = createReplies(deps.locale, deps.mode);
  const store = createConfirmStore({ clock: deps.clock, ttlMs: deps.confirmTtlMs, random: deps.random });
  const ttlSec = Math.round((deps.confirmTtlMs ?? 60_000) / 1000);
  const foreign = createLogOnce(deps.clock, 10 * 60_000);

  const say = (html: string, replyMarkup?: InlineKeyboardMarkup) => sendHtml(bot.api, chatId, html, { replyMarkup });
  const keyboard = (code: string): InlineKeyboardMarkup => ({
    inline_keyboard: [[
      { text: deps.locale === 'ko' ? '✅ 확인' : '✅ Confirm', callback_data: `confirm:${code}` },
      { text: deps.locale === 'ko' ? '취소' : 'Cancel', callback_data: `cancel:${code}` },
    ]],
  });

  /** Runs a handler; a failing query or command is answered with its message instead of silence. */
  const guarded = (name: string, fn: (ctx: Context) => Promise<void>) => async (ctx: Context) => {
    try {
      await fn(ctx);
    } catch (err) {
      logger.warn({ kind: 'telegram-command', command: name, err }, 'Telegram command failed');
      await say(r.failed(err instanceof Error ? err.message : errorText(err))).catch(() => {});
    }
  };

  async function run(action: PendingAction): Promise<{ label: string; result: CommandResult }> {
    if (action.kind === 'sell') return { label: `sell ${action.market}`, result: await commands.sellPosition(action.positionId, TELEGRAM_ACTOR) };
    return { label: 'sell all', result: await commands.sellAll(TELEGRAM_ACTOR) };
  }

  async function settle(taken: TakeResult): Promise<string> {
    if (taken.status === 'unknown') return r.confirmUnknown();
    if (taken.status === 'expired') return r.confirmExpired();
    const { label, result } = await run(taken.action);
    logger.info({ kind: 'telegram-command', action: taken.action, ok: result.ok }, 'Telegram confirmed command done');
    return r.result(label, result);
  }

  bot.use(async (ctx, next) => {
    const from = ctx.chat?.id;
    if (from !== undefined && String(from) === chatId) return next();
    foreign.once(`chat:${from ?? 'none'}`, (suppressed) =>
      logger.warn({ kind: 'telegram-foreign-chat', chatId: from ?? null, fromId: ctx.from?.id ?? null, suppressed }, 'Telegram update from another chat ignored'),
    );
  });

  bot.command(['help', 'start'], guarded('help', async () => void (await say(r.help()))));
  bot.command('status', guarded('status', async () => void (await say(r.status(await queries.status())))));
  bot.command('balance', guarded('balance', async () => void (await say(r.balance(await queries.status())))));
  bot.command('positions', guarded('positions', async () => void (await say(r.positions(await queries.positions())))));
  bot.command('profit', guarded('profit', async () => {
    const trades = await allTrades(queries);
    const totalPnlKrw = trades.reduce((sum, t) => sum + t.pnlKrw, 0);
    await say(r.profit({ totalPnlKrw, trades: trades.length, wins: trades.filter((t) => t.pnlKrw > 0).length }));
  }));
  bot.command('daily', guarded('daily', async () => {
    const [s, trades] = await Promise.all([queries.status(), allTrades(queries)]);
    const day = kstDayOf(deps.clock.now());
    const tradesToday = trades.filter((t) => kstDayOf(t.closedAt) === day).length;
    await say(r.daily({ day, pnlKrw: s.todayPnl, limitKrw: s.dailyLossLimit, isLimitHit: s.isDailyLimitHit, tradesToday }));
  }));
  bot.command('pause', guarded('pause', async () => void (await say(r.result('pause', await commands.pause(TELEGRAM_ACTOR))))));
  bot.command('resume', guarded('resume', async () => void (await say(r.result('resume', await commands.resume(TELEGRAM_ACTOR))))));

  bot.command('sell', guarded('sell', async (ctx) => {
    const raw = typeof ctx.match === 'string' ? ctx.match.trim() : '';
    if (raw === '') return void (await say(r.sellUsage()));
    const market = toMarketCode(raw);
    const position = (await queries.positions()).find((p) => p.market === market && p.state === 'open');
    if (!position) return void (await say(r.noPosition(market)));
    const code = store.create({ kind: 'sell', positionId: position.id, market });
    await say(r.confirmSell(position, { code, ttlSec }), keyboard(code));
  }));
  bot.command('sellall', guarded('sellall', async () => {
    const open = (await queries.positions()).filter((p) => p.state === 'open');
    if (open.length === 0) return void (await say(r.noPositions()));
    const code = store.create({ kind: 'sell-all' });
    await say(r.confirmSellAll(open.length, { code, ttlSec }), keyboard(code));
  }));
  bot.command('confirm', guarded('confirm', async (ctx) => {
    await say(await settle(store.take(typeof ctx.match === 'string' ? ctx.match : '')));
  }));

  bot.callbackQuery(/^(confirm|cancel):(\d+)$/, guarded('callback', async (ctx) => {
    const [, verb, code] = ctx.match as RegExpMatchArray;
    await ctx.answerCallbackQuery().catch((err: unknown) => logger.warn({ kind: 'telegram-command', err }, 'answerCallbackQuery failed'));
    const html = verb === 'cancel' ? (store.cancel(code!), r.cancelled()) : await settle(store.take(code!));
    await ctx.editMessageText(html, { parse_mode: 'HTML' }).catch(() => say(html));
  }));
  bot.on('message::bot_command', guarded('unknown', async () => void (await say(r.unknownCommand()))));

  return { confirmations: store };
}
