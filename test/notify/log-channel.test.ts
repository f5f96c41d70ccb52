import { describe, expect, test } from 'bun:test';
import { createLogger } from '../../src/log.ts';
import { createLogChannel } from '../../src/notify/log-channel.ts';

describe('log channel', () => {
  test('writes one info line per message with the event type and mode', async () => {
    const lines: string[] = [];
    const logger = createLogger({ main: { write: (l: string) => void lines.push(l) }, pretty: 'false' });
    const channel = createLogChannel(logger);
    await channel.send({ type: 'feed-up', mode: 'demo', at: 1, downMs: 5_000 }, '[DEMO] feed back');
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({ level: 'info', msg: '[DEMO] feed back', channel: 'log', event: 'feed-up', mode: 'demo' });
  });
});
