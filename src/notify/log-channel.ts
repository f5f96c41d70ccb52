// A notification channel that writes each message as one log line through the injected pino logger.
import type { Logger } from '../log.ts';
import type { Notifier } from './notifier.ts';

export function createLogChannel(logger: Logger, name = 'log'): Notifier {
  return {
    name,
    format: 'text',
    async send(event, text) {
      logger.info({ channel: name, event: event.type, mode: event.mode }, text);
    },
  };
}
