// A database that refuses writes (a full disk, an SD card remounted read-only): no order goes out without its
// write-ahead row, the owner is told at once (directly: the outbox cannot be written either), and the exit goes
// through once writes work again.
import { afterEach, describe, expect, test } from 'bun:test';
import { createLogger } from '../../src/log.ts';
import { FIVE_MIN, MINUTE } from '../helpers/scripted-market.ts';
import { startEngine, waitUntil, type Engine } from '../helpers/engine-harness.ts';
import { DISK_FULL, refuseWrites } from '../helpers/test-db.ts';

let engine: Engine | null = null;
afterEach(async () => {
  await engine?.stop();
  engine = null;
});

const MARKETS = { 'KRW-AAA': { price: 10_000 }, 'KRW-BBB': { price: 2_000 }, 'KRW-CCC': { price: 50_000 } };
describe('engine: the database refuses writes while a position is open', () => {
  test('the stop-loss posts nothing without its row, the owner hears it directly, and the sell goes through once writes work', async () => {
    const e = (engine = await startEngine({ markets: MARKETS }));
    e.model.spike('KRW-AAA', e.t0);
    e.model.path('KRW-AAA', e.t0 + FIVE_MIN, [9_950, 9_750, 9_700]);
    const [close] = await e.step(5);
    expect(close).toMatchObject({ pick: 'KRW-AAA', result: 'entered' });

    await refuseWrites(e.handle, true);
    await e.step(1); // 9,950: above the stop (10,010 × 0.98 = 9,809.8)
    await e.step(1); // 9,750: stop-loss, but the position cannot be marked closing
    await waitUntil(() => e.notifier.events.some((x) => x.type === 'exit-failed'), 'the owner to hear of the failed exit');
    const failed = e.notifier.events.find((x) => x.type === 'exit-failed');
    expect(failed).toMatchObject({ type: 'exit-failed', market: 'KRW-AAA', reason: 'stop-loss', mode: 'demo', failures: 1 });
    expect(failed?.type === 'exit-failed' && failed.detail).toContain(DISK_FULL);
    expect(e.notifier.texts.some((t) => t.startsWith('[DEMO]') && t.includes('KRW-AAA'))).toBe(true);
    // Nothing was posted without its row: the simulator saw the buy only.
    expect((await e.simState()).orders.map((o) => o.side)).toEqual(['bid']);
    expect((await e.rows()).positions[0]!.state).toBe('open');

    await refuseWrites(e.handle, false);
    await e.step(1); // 9,700, a minute later: past the 30 s retry pause
    await waitUntil(async () => (await e.rows()).positions[0]!.state === 'closed', 'the retried stop-loss');
    const { positions } = await e.rows();
    expect(positions[0]).toMatchObject({ state: 'closed', exitReason: 'stop-loss' });
    expect((await e.simState()).orders.map((o) => o.side)).toEqual(['bid', 'ask']);
  });

  test('with the price standing still (no ticks), the failed stop-loss is still retried, and the owner is reminded every 10 minutes', async () => {
    const e = (engine = await startEngine({ markets: MARKETS }));
    e.model.spike('KRW-AAA', e.t0);
    e.model.path('KRW-AAA', e.t0 + FIVE_MIN, [9_950, 9_750]); // then flat at 9,750: no more price updates
    await e.step(5);
    await refuseWrites(e.handle, true);
    await e.step(2);
    await e.step(10);
    await waitUntil(() => e.notifier.events.filter((x) => x.type === 'exit-failed').length >= 2, 'the 10-minute reminder');
    const told = e.notifier.events.flatMap((x) => (x.type === 'exit-failed' ? [x] : []));
    // The close job retries once the 30 s pause is over; here it runs once a (stepped) minute: the reminder is the 11th attempt.
    expect(told.map((x) => [x.failures, x.at - told[0]!.at])).toEqual([[1, 0], [11, 600_000]]);
    expect((await e.simState()).orders.map((o) => o.side)).toEqual(['bid']);
  });

  test('a failed sell waits out its 30 s pause even while the price keeps moving', async () => {
    const lines: { msg: string }[] = [];
    const logger = createLogger({ level: 'info', pretty: 'false', main: { write: (l: string) => void lines.push(JSON.parse(l)) } });
    const e = (engine = await startEngine({ markets: MARKETS, logger }));
    e.model.spike('KRW-AAA', e.t0);
    e.model.path('KRW-AAA', e.t0 + FIVE_MIN, [9_950]);
    // From minute 6 on, four different prices a minute (trades at 5, 20, 35 and 50 s), all below the stop.
    e.model.script('KRW-AAA', e.t0 + 6 * MINUTE, Array.from({ length: 6 }, () => ({ open: 9_700, high: 9_720, low: 9_680, close: 9_690 })));
    await e.step(6);
    await refuseWrites(e.handle, true);
    for (let i = 0; i < 16; i++) {
      await e.advance(15_000); // four minutes, a price update in every step
      await e.bot.tradeCycle()!.settle(); // the attempt it started (if any) has ended
    }
    // One attempt every 30 s (8 in 4 minutes), not one at every price (16).
    expect(lines.filter((l) => l.msg === 'exit failed')).toHaveLength(8);
  });
});
