// The Notifier port (one channel: log, Telegram, …) and a fan-out that isolates each channel's failure.
import type { Logger } from '../log.ts';
import type { BotEvent } from './events.ts';
import { formatEvent, type Locale, type TextFormat } from './format.ts';
import { errorText } from '../error-text.ts';

/** One delivery channel. `send` resolves when the channel has accepted the message and throws when it has not. */
export interface Notifier {
  readonly name: string;
  /** The text flavour the channel wants; Telegram uses HTML parse mode. Default 'text'. */
  readonly format?: TextFormat;
  send(event: BotEvent, text: string): Promise<void>;
}

/** What the bot calls to tell its owner something; never blocks on a channel, never throws. */
export interface EventPublisher {
  publish(event: BotEvent): Promise<void>;
}

export type ChannelResult = { channel: string; ok: true } | { channel: string; ok: false; error: string };

export class ChannelTimeout extends Error {
  override readonly name = 'ChannelTimeout';
}

/** How long a channel asked to wait before the next attempt (e.g. Telegram's 429 retry_after), from an error's numeric `retryAfterMs`. */
export const retryAfterMsOf = (err: unknown): number | null => {
  const ms = err instanceof Error ? (err as Error & { retryAfterMs?: unknown }).retryAfterMs : undefined;
  return typeof ms === 'number' && Number.isFinite(ms) && ms > 0 ? ms : null;
};

/** Runs `send` with a time limit; a channel that never answers counts as failed. */
export async function sendWithTimeout(channel: Notifier, event: BotEvent, text: string, timeoutMs: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ChannelTimeout(`Channel ${channel.name} did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([Promise.resolve().then(() => channel.send(event, text)), limit]);
  } finally {
    clearTimeout(timer);
  }
}

export type FanOut = { send(event: BotEvent): Promise<ChannelResult[]> };

/**
 * Sends one event to every channel at once, each with its own text flavour; a failing or hanging
 * channel is logged and reported, never thrown, and never delays the verdict on the others beyond timeoutMs.
 * For direct sends (e.g. the last "stopped" message); everyday events go through the outbox.
 */
export function createFanOut(deps: { channels: readonly Notifier[]; locale: Locale; logger: Logger; timeoutMs?: number }): FanOut {
  const timeoutMs = deps.timeoutMs ?? 10_000;
  return {
    async send(event) {
      return Promise.all(
        deps.channels.map(async (channel): Promise<ChannelResult> => {
          try {
            const text = formatEvent(event, { locale: deps.locale, format: channel.format ?? 'text' });
            await sendWithTimeout(channel, event, text, timeoutMs);
            return { channel: channel.name, ok: true };
          } catch (err) {
            deps.logger.warn({ channel: channel.name, event: event.type, err }, 'notification channel failed');
            return { channel: channel.name, ok: false, error: errorText(err) };
          }
        }),
      );
    },
  };
}
