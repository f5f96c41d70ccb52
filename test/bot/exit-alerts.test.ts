import { describe, expect, test } from 'bun:test';
import { createExitAlerts } from '../../src/bot/exit-alerts.ts';
import type { BotEvent } from '../../src/notify/events.ts';

function rig(repeatMs = 600_000) {
  const clock = { t: 0, now() { return this.t; } };
  const published: BotEvent[] = [];
  const alerts = createExitAlerts({ clock, mode: 'live', retryMs: 30_000, repeatMs, publisher: { publish: async (e) => void published.push(e) } });
  return { clock, published, alerts };
}

describe('exit alerts', () => {
  test('the first failure is told at once; later ones only every repeatMs, with the count so far', async () => {
    const { clock, published, alerts } = rig();
    await alerts.failed('KRW-BTC', 'stop-loss', 'SqliteError: database or disk is full');
    expect(published).toEqual([
      { type: 'exit-failed', mode: 'live', at: 0, market: 'KRW-BTC', reason: 'stop-loss', detail: 'SqliteError: database or disk is full', failures: 1, retryInMs: 30_000 },
    ]);
    for (let i = 1; i <= 20; i++) {
      clock.t = i * 30_000; // every retry for ~10 minutes
      await alerts.failed('KRW-BTC', 'stop-loss', 'still full');
    }
    expect(published).toHaveLength(2);
    expect(published[1]).toMatchObject({ at: 600_000, failures: 21, detail: 'still full' });
  });

  test('a failure with its own wait (a rate-limit block) tells that wait, not the usual pause', async () => {
    const { published, alerts } = rig();
    await alerts.failed('KRW-BTC', 'stop-loss', 'RateLimited: blocked (418)', 5_000);
    expect(published[0]).toMatchObject({ type: 'exit-failed', retryInMs: 5_000 });
  });

  test('markets have their own streaks, and a streak ends when the exit goes through', async () => {
    const { clock, published, alerts } = rig();
    await alerts.failed('KRW-BTC', 'take-profit', 'x');
    await alerts.failed('KRW-ETH', 'trailing-stop', 'y');
    expect(published.map((e) => e.type === 'exit-failed' && [e.market, e.failures])).toEqual([['KRW-BTC', 1], ['KRW-ETH', 1]]);
    alerts.ended('KRW-BTC');
    clock.t = 1_000;
    await alerts.failed('KRW-BTC', 'stop-loss', 'z');
    expect(published.at(-1)).toMatchObject({ market: 'KRW-BTC', reason: 'stop-loss', failures: 1 });
  });

  test("an owner's sell-all or shutdown sell answers its caller and is not published", async () => {
    const { published, alerts } = rig();
    await alerts.failed('KRW-BTC', 'sell-all', 'x');
    await alerts.failed('KRW-ETH', 'shutdown', 'x');
    expect(published).toEqual([]);
  });
});
