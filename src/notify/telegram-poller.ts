// Long polling for Telegram commands in the background; steps aside (never fights) when another process polls the token.
import { GrammyError, type Bot } from 'grammy';
import type { Logger } from '../log.ts';
import { toTelegramError } from './telegram.ts';

export type PollerState = 'idle' | 'starting' | 'running' | 'conflict' | 'token-rejected' | 'failed' | 'stopped';

export type TelegramPollerDeps = {
  bot: Bot;
  logger: Logger;
  /** Called once when another process is polling the same token; polling has stopped. */
  onConflict?: () => void;
  /** getUpdates long-poll timeout in seconds. Default 30. */
  pollTimeoutSec?: number;
  /** Upper bound on stop(); a hung Telegram never holds up shutdown. Default 5 s. */
  stopTimeoutMs?: number;
};

export type TelegramPoller = {
  /** Starts polling in the background and returns at once. */
  start(): void;
  /** Stops polling (confirming the last update offset), bounded by stopTimeoutMs. */
  stop(): Promise<void>;
  state(): PollerState;
  /** Settles when the background polling has ended (stopped, conflict or failure). */
  done(): Promise<void>;
};

/** 409 on getUpdates: "Conflict: terminated by other getUpdates request" (or a webhook is set). */
export const isConflictError = (err: unknown): boolean => err instanceof GrammyError && err.error_code === 409;

export function createTelegramPoller(deps: TelegramPollerDeps): TelegramPoller {
  const { bot, logger } = deps;
  let state: PollerState = 'idle';
  let running: Promise<void> = Promise.resolve();

  bot.catch((err) => {
    logger.error({ kind: 'telegram-update', updateId: err.ctx.update.update_id, err: err.error }, 'Telegram update handler failed');
  });

  function ended(err: unknown): void {
    if (state === 'stopped') return;
    if (isConflictError(err)) {
      state = 'conflict';
      logger.error(
        { kind: 'telegram-conflict' },
        'Telegram polling stopped: another process is polling this bot token (409 Conflict). Commands are off here; notifications still go out. Stop the other process and restart this one to take commands here.',
      );
      deps.onConflict?.();
      return;
    }
    const e = toTelegramError(err, 'getUpdates');
    state = e.kind === 'token-rejected' ? 'token-rejected' : 'failed';
    logger.error({ kind: 'telegram-poller', code: e.code, err: e }, `Telegram polling stopped: ${e.message}${state === 'token-rejected' ? ' (check TELEGRAM_BOT_TOKEN)' : ''}`);
  }

  return {
    start() {
      if (state === 'starting' || state === 'running') return;
      state = 'starting';
      running = bot
        .start({
          timeout: deps.pollTimeoutSec ?? 30,
          onStart: (info) => {
            if (state === 'starting') state = 'running';
            logger.info({ kind: 'telegram-poller', username: info.username }, 'Telegram command polling started');
          },
        })
        .then(
          () => {
            if (state !== 'stopped') state = 'stopped';
          },
          ended,
        );
    },
    async stop() {
      if (state !== 'starting' && state !== 'running') return;
      state = 'stopped';
      let timer: ReturnType<typeof setTimeout> | undefined;
      const limit = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, deps.stopTimeoutMs ?? 5_000);
      });
      try {
        await Promise.race([bot.stop().catch((err: unknown) => logger.warn({ kind: 'telegram-poller', err: toTelegramError(err, 'getUpdates') }, 'Telegram stop could not confirm the offset')), limit]);
      } finally {
        clearTimeout(timer);
      }
    },
    state: () => state,
    done: () => running,
  };
}
