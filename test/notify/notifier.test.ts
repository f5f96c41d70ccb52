import { describe, expect, test } from 'bun:test';
import { silentLogger } from '../../src/log.ts';
import type { BotEvent } from '../../src/notify/events.ts';
import { createFanOut } from '../../src/notify/notifier.ts';
import { createRecordingNotifier } from '../fakes/recording-notifier.ts';

const event: BotEvent = { type: 'halted', mode: 'live', at: 1, code: 'manual', detail: '<owner> & co' };

describe('fan-out', () => {
  test('a throwing channel does not stop the others and is reported', async () => {
    const a = createRecordingNotifier({ name: 'a' });
    const b = createRecordingNotifier({ name: 'b' });
    const c = createRecordingNotifier({ name: 'c' });
    b.failNext(1, new Error('boom'));
    const results = await createFanOut({ channels: [a, b, c], locale: 'en', logger: silentLogger }).send(event);
    expect(results).toEqual([
      { channel: 'a', ok: true },
      { channel: 'b', ok: false, error: 'Error: boom' },
      { channel: 'c', ok: true },
    ]);
    expect(a.events).toEqual([event]);
    expect(c.events).toEqual([event]);
  });

  test('a hanging channel times out without holding the others', async () => {
    const slow = createRecordingNotifier({ name: 'slow' });
    const fast = createRecordingNotifier({ name: 'fast' });
    slow.hangNext(1);
    const results = await createFanOut({ channels: [slow, fast], locale: 'en', logger: silentLogger, timeoutMs: 5 }).send(event);
    expect(results[0]).toMatchObject({ channel: 'slow', ok: false });
    expect((results[0] as { error: string }).error).toStartWith('ChannelTimeout');
    expect(fast.events).toHaveLength(1);
  });

  test('each channel gets its own text flavour', async () => {
    const html = createRecordingNotifier({ name: 'tg', format: 'html' });
    const text = createRecordingNotifier({ name: 'log', format: 'text' });
    await createFanOut({ channels: [html, text], locale: 'en', logger: silentLogger }).send(event);
    expect(html.texts[0]).toContain('&lt;owner&gt; &amp; co');
    expect(text.texts[0]).toContain('<owner> & co');
  });
});
