// Engine scenarios over real sockets: which spikes become entries — ranking, max positions, no duplicates, pause.
import { afterEach, describe, expect, test } from 'bun:test';
import { FIVE_MIN } from '../helpers/scripted-market.ts';
import { startEngine, waitUntil, type Engine } from '../helpers/engine-harness.ts';

let engine: Engine | null = null;
afterEach(async () => {
  await engine?.stop();
  engine = null;
});

// Turnover ranks DDD first and AAA last, so the history of AAA reaches the bot last.
const MARKETS = { 'KRW-AAA': { price: 1_000 }, 'KRW-BBB': { price: 2_000 }, 'KRW-CCC': { price: 5_000 }, 'KRW-DDD': { price: 20_000 } };

async function start(env: Record<string, string> = {}): Promise<Engine> {
  return (engine = await startEngine({ markets: MARKETS, env }));
}

/** Simulator orders: every identifier once, and one order per db order row. */
async function expectOneOrderPerIntent(e: Engine) {
  const state = await e.simState();
  const { orders } = await e.rows();
  const ids = state.orders.map((o) => o.identifier);
  expect(new Set(ids).size).toBe(ids.length);
  expect(ids.sort()).toEqual(orders.map((o) => o.identifier).sort());
  return state;
}

describe('engine: entries', () => {
  test('every market is evaluated at the first close after start, whatever order its history arrived in', async () => {
    const e = await start();
    e.model.spike('KRW-AAA', e.t0, 6);
    e.model.spike('KRW-BBB', e.t0, 3);
    e.model.spike('KRW-CCC', e.t0, 4);
    e.model.spike('KRW-DDD', e.t0, 5);
    const [close] = await e.step(5);
    // Ranked by volume ratio; one entry per close: the top candidate.
    expect(close!.candidates.map((c) => [c.market, c.volumeRatio])).toEqual([['KRW-AAA', 6], ['KRW-DDD', 5], ['KRW-CCC', 4], ['KRW-BBB', 3]]);
    expect(close).toMatchObject({ pick: 'KRW-AAA', result: 'entered' });
    expect((await e.rows()).positions.map((p) => [p.market, p.state])).toEqual([['KRW-AAA', 'open']]);
  });

  test('max positions: three spikes open three positions, the fourth is refused', async () => {
    const e = await start();
    ['KRW-AAA', 'KRW-BBB', 'KRW-CCC', 'KRW-DDD'].forEach((m, i) => e.model.spike(m, e.t0 + i * FIVE_MIN));
    const closes = await e.step(20);
    expect(closes.map((c) => [c.pick, c.result])).toEqual([
      ['KRW-AAA', 'entered'], ['KRW-BBB', 'entered'], ['KRW-CCC', 'entered'], ['KRW-DDD', 'refused'],
    ]);
    expect(closes[3]!.detail).toContain('3');
    const { positions } = await e.rows();
    expect(positions.map((p) => [p.market, p.state])).toEqual([['KRW-AAA', 'open'], ['KRW-BBB', 'open'], ['KRW-CCC', 'open']]);
    const state = await expectOneOrderPerIntent(e);
    expect(state.orders.map((o) => o.market)).toEqual(['KRW-AAA', 'KRW-BBB', 'KRW-CCC']);
  });

  test('no duplicates: a second spike in a held market is no candidate; the next one is entered instead', async () => {
    const e = await start();
    e.model.spike('KRW-AAA', e.t0);
    e.model.spike('KRW-AAA', e.t0 + FIVE_MIN, 8); // bigger than the first, and than BBB's
    e.model.spike('KRW-BBB', e.t0 + FIVE_MIN, 3);
    const closes = await e.step(10);
    expect(closes.map((c) => [c.pick, c.result])).toEqual([['KRW-AAA', 'entered'], ['KRW-BBB', 'entered']]);
    expect(closes[1]!.candidates.map((c) => c.market)).toEqual(['KRW-BBB']);
    const state = await expectOneOrderPerIntent(e);
    expect(state.orders.map((o) => [o.market, o.side])).toEqual([['KRW-AAA', 'bid'], ['KRW-BBB', 'bid']]);
    expect((await e.rows()).positions.filter((p) => p.market === 'KRW-AAA')).toHaveLength(1);
  });

  test('paused: a spike enters nothing, and an open position still exits on its price', async () => {
    const e = await start();
    e.model.spike('KRW-AAA', e.t0);
    e.model.spike('KRW-BBB', e.t0 + FIVE_MIN);
    e.model.path('KRW-AAA', e.t0 + 2 * FIVE_MIN, [1_050]); // +5 % from the 1,001 entry
    expect((await e.step(5))[0]).toMatchObject({ pick: 'KRW-AAA', result: 'entered' });
    expect((await e.bot.commands.pause('test')).ok).toBe(true);
    const [paused] = await e.step(5);
    expect(paused).toMatchObject({ result: 'skipped', detail: 'entries are paused', pick: null });
    expect(paused!.candidates.map((c) => c.market)).toEqual(['KRW-BBB']);
    await e.step(1);
    await waitUntil(async () => (await e.rows()).positions.some((p) => p.state === 'closed'), 'the exit while paused');
    const { positions } = await e.rows();
    expect(positions.map((p) => [p.market, p.state, p.exitReason])).toEqual([['KRW-AAA', 'closed', 'take-profit']]);
    const state = await expectOneOrderPerIntent(e);
    expect(state.orders.map((o) => [o.market, o.side])).toEqual([['KRW-AAA', 'bid'], ['KRW-AAA', 'ask']]);
  });
});
