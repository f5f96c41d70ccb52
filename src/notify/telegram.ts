// The Telegram channel: HTML messages through grammY, split at 4096, plain-text fallback, errors mapped for the outbox.
import { Bot, GrammyError, HttpError, type Api } from 'grammy';
import type { InlineKeyboardMarkup, UserFromGetMe } from 'grammy/types';
import { scrubSecrets, type Logger } from '../log.ts';
import type { Notifier } from './notifier.ts';
import { htmlToPlain, splitMessage } from './telegram-text.ts';

export const TELEGRAM_CHANNEL = 'telegram';

/** A grammY Bot for one token; `apiRoot` points it at a fake or self-hosted Bot API server. */
export function createTelegramBot(opts: { token: string; apiRoot?: string; botInfo?: UserFromGetMe; timeoutSeconds?: number }): Bot {
  return new Bot(opts.token, {
    client: { apiRoot: opts.apiRoot ?? 'https://api.telegram.org', timeoutSeconds: opts.timeoutSeconds ?? 60 },
    ...(opts.botInfo ? { botInfo: opts.botInfo } : {}),
  });
}

export type TelegramErrorKind = 'rate-limited' | 'token-rejected' | 'chat-rejected' | 'bad-request' | 'unavailable';

/** A failed Telegram call, with the token scrubbed from everything it carries. retryAfterMs is read by the outbox. */
export class TelegramSendError extends Error {
  override readonly name = 'TelegramSendError';
  constructor(
    message: string,
    readonly kind: TelegramErrorKind,
    readonly code: number | null,
    readonly retryAfterMs: number | null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Bot API error codes → our kinds; anything else ≥ 500 is 'unavailable', the rest 'bad-request'. */
const KIND_BY_CODE: Readonly<Record<number, TelegramErrorKind>> = {
  429: 'rate-limited',
  401: 'token-rejected',
  404: 'token-rejected',
  403: 'chat-rejected',
};

export const isParseEntitiesError = (err: unknown): boolean =>
  err instanceof GrammyError && err.error_code === 400 && /can't parse entities/i.test(err.description);

/** Any error from a grammY call → TelegramSendError whose message and cause never contain the token. */
export function toTelegramError(err: unknown, method: string): TelegramSendError {
  if (err instanceof TelegramSendError) return err;
  if (err instanceof GrammyError) {
    const kind = KIND_BY_CODE[err.error_code] ?? (err.error_code >= 500 ? 'unavailable' : 'bad-request');
    const retryAfterMs = typeof err.parameters.retry_after === 'number' ? err.parameters.retry_after * 1000 : null;
    const detail = scrubSecrets(`${err.error_code}: ${err.description}`);
    return new TelegramSendError(`Telegram refused ${method}: ${detail}`, kind, err.error_code, retryAfterMs, {
      cause: new Error(detail),
    });
  }
  const inner = err instanceof HttpError ? err.error : err;
  const detail = scrubSecrets(inner instanceof Error ? `${inner.name}: ${inner.message}` : String(inner));
  return new TelegramSendError(`Could not reach Telegram for ${method}: ${detail}`, 'unavailable', null, null, {
    cause: new Error(detail),
  });
}

/** grammY types its signal parameter with the abort-controller polyfill; the native signal works at runtime. */
type GrammySignal = Parameters<Api['sendMessage']>[3];

export type SendOptions = {
  replyMarkup?: InlineKeyboardMarkup;
  /** Aborts each sendMessage after this long (grammY's own client timeout also covers 30-s long polls). */
  timeoutMs?: number;
};

/**
 * Sends HTML text to a chat, credentials masked (scrubSecrets): split at 4096, link previews off; a part Telegram cannot parse is sent
 * once more as plain text. Throws TelegramSendError. Returns the message ids sent.
 */
export async function sendHtml(api: Api, chatId: number | string, html: string, opts: SendOptions = {}): Promise<number[]> {
  // A detail quoted from an error may carry a credential (a libSQL authToken in a URL, a bearer token, a bot URL).
  const parts = splitMessage(scrubSecrets(html));
  const ids: number[] = [];
  for (const [i, part] of parts.entries()) {
    const markup = i === parts.length - 1 && opts.replyMarkup ? { reply_markup: opts.replyMarkup } : {};
    const base = { link_preview_options: { is_disabled: true }, ...markup };
    const signal = () => (opts.timeoutMs ? (AbortSignal.timeout(opts.timeoutMs) as GrammySignal) : undefined);
    try {
      try {
        ids.push((await api.sendMessage(chatId, part, { ...base, parse_mode: 'HTML' }, signal())).message_id);
      } catch (err) {
        if (!isParseEntitiesError(err)) throw err;
        ids.push((await api.sendMessage(chatId, htmlToPlain(part), base, signal())).message_id);
      }
    } catch (err) {
      throw toTelegramError(err, 'sendMessage');
    }
  }
  return ids;
}

export type TelegramChannelDeps = {
  api: Api;
  chatId: number | string;
  logger: Logger;
  name?: string;
  /** Per-request limit; keep it below the outbox's sendTimeoutMs (30 s) so the channel gives up first. Default 20 s. */
  sendTimeoutMs?: number;
};

/**
 * The Notifier for Telegram. Rejected tokens and chats are logged at error once until a send works
 * again (never with the token); every failure is thrown so the outbox retries it.
 */
export function createTelegramChannel(deps: TelegramChannelDeps): Notifier {
  const name = deps.name ?? TELEGRAM_CHANNEL;
  let reported: TelegramErrorKind | null = null;
  return {
    name,
    format: 'html',
    async send(event, text) {
      try {
        await sendHtml(deps.api, deps.chatId, text, { timeoutMs: deps.sendTimeoutMs ?? 20_000 });
        reported = null;
      } catch (err) {
        const e = toTelegramError(err, 'sendMessage');
        if ((e.kind === 'token-rejected' || e.kind === 'chat-rejected') && reported !== e.kind) {
          reported = e.kind;
          const hint = e.kind === 'token-rejected' ? 'check TELEGRAM_BOT_TOKEN' : 'check TELEGRAM_CHAT_ID and that the owner started the bot';
          deps.logger.error({ channel: name, event: event.type, code: e.code, kind: 'telegram-rejected' }, `Telegram rejected the message (${e.message}): ${hint}`);
        }
        throw e;
      }
    },
  };
}
