// A Notifier that records what it was asked to send and can be told to fail or hang; for tests.
import type { BotEvent } from '../../src/notify/events.ts';
import type { TextFormat } from '../../src/notify/format.ts';
import type { Notifier } from '../../src/notify/notifier.ts';

export type RecordingNotifier = Notifier & {
  /** Events the channel accepted, in order. */
  readonly events: BotEvent[];
  /** The rendered texts it accepted, in order. */
  readonly texts: string[];
  /** Every call, accepted or not. */
  readonly calls: { event: BotEvent; text: string; outcome: 'ok' | 'error' | 'hang' }[];
  /** The next n sends throw `error`. */
  failNext(n: number, error?: Error): void;
  /** The next n sends never settle (to exercise timeouts). */
  hangNext(n: number): void;
};

export function createRecordingNotifier(opts: { name?: string; format?: TextFormat } = {}): RecordingNotifier {
  const events: BotEvent[] = [];
  const texts: string[] = [];
  const calls: RecordingNotifier['calls'] = [];
  let failures: Error[] = [];
  let hangs = 0;
  return {
    name: opts.name ?? 'recording',
    format: opts.format ?? 'text',
    events,
    texts,
    calls,
    failNext(n, error = new Error('channel down')) {
      failures = Array.from({ length: n }, () => error);
    },
    hangNext(n) {
      hangs = n;
    },
    async send(event, text) {
      if (hangs > 0) {
        hangs -= 1;
        calls.push({ event, text, outcome: 'hang' });
        return new Promise<void>(() => {});
      }
      const failure = failures.shift();
      calls.push({ event, text, outcome: failure ? 'error' : 'ok' });
      if (failure) throw failure;
      events.push(event);
      texts.push(text);
    },
  };
}
