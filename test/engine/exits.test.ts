// Engine scenarios over real sockets: spike → buy → take-profit, spike → buy → stop-loss, with PnL from the real fills.
import { afterEach, describe, expect, test } from 'bun:test';
import { FEE_RATE } from '../../src/core/ticks.ts';
import { FIVE_MIN } from '../helpers/scripted-market.ts';
import { startEngine, waitUntil, type Engine } from '../helpers/engine-harness.ts';

let engine: Engine | null = null;
afterEach(async () => {
  await engine?.stop();
  engine = null;
});

const MARKETS = { 'KRW-AAA': { price: 10_000 }, 'KRW-BBB': { price: 2_000 }, 'KRW-CCC': { price: 50_000 } };

/** A spike in AAA's bucket at t0 (entry at t0 + 5 min), then the given minute closes of AAA. */
async function spikeThen(closes: number[]): Promise<Engine> {
  const e = (engine = await startEngine({ markets: MARKETS }));
  e.model.spike('KRW-AAA', e.t0);
  e.model.path('KRW-AAA', e.t0 + FIVE_MIN, closes);
  return e;
}

async function expectOneRoundTrip(e: Engine, reason: string) {
  await waitUntil(async () => (await e.rows()).positions.some((p) => p.state === 'closed'), `the ${reason} exit`);
  const { positions, fills } = await e.rows();
  const state = await e.simState();
  expect(positions).toHaveLength(1);
  const [p] = positions;
  expect(p).toMatchObject({ market: 'KRW-AAA', state: 'closed', exitReason: reason });
  // Exactly one buy and one sell at the simulator, and every simulator fill is a db fill.
  expect(state.orders.map((o) => [o.market, o.side])).toEqual([['KRW-AAA', 'bid'], ['KRW-AAA', 'ask']]);
  expect(fills.map((f) => f.tradeId).sort()).toEqual(state.fills.map((f) => f.uuid).sort());
  // PnL = proceeds − sell fee − (cost + buy fee), from the simulator's own fills.
  const buys = state.fills.filter((f) => f.side === 'bid');
  const sells = state.fills.filter((f) => f.side === 'ask');
  const sum = (xs: typeof buys, k: 'funds' | 'fee' | 'volume') => xs.reduce((s, f) => s + f[k], 0);
  const expected = sum(sells, 'funds') - sum(sells, 'fee') - (sum(buys, 'funds') + sum(buys, 'fee'));
  expect(p!.pnlKrw!).toBeCloseTo(expected, 4);
  expect(sum(buys, 'fee')).toBeCloseTo(sum(buys, 'funds') * FEE_RATE, 6);
  expect(sum(sells, 'volume')).toBeCloseTo(sum(buys, 'volume'), 8);
  // Nothing of AAA is left at the simulator; KRW moved by exactly the PnL.
  const balances = state.balances[Object.keys(state.balances)[0]!]!;
  expect(balances.find((b) => b.currency === 'AAA')?.balance ?? 0).toBeCloseTo(0, 8);
  expect(balances.find((b) => b.currency === 'KRW')!.balance).toBeCloseTo(1_000_000 + expected, 4);
  return p!;
}

describe('engine: spike → buy → exit', () => {
  test('take-profit: bought at the spike close, sold once the price is 3 % above the average fill', async () => {
    const e = await spikeThen([10_100, 10_200, 10_350]);
    const [close] = await e.step(5);
    expect(close).toMatchObject({ boundary: e.t0 + FIVE_MIN, pick: 'KRW-AAA', result: 'entered' });
    expect(close!.candidates.map((c) => c.market)).toEqual(['KRW-AAA']);
    expect(close!.candidates[0]!.volumeRatio).toBeCloseTo(5, 6);
    const opened = (await e.rows()).positions[0]!;
    expect(opened).toMatchObject({ state: 'open', entryPrice: 10_010 }); // the ask: one tick above the last price

    await e.step(2); // 10,100 and 10,200: below 10,010 × 1.03 = 10,310.3
    expect((await e.rows()).positions[0]!.state).toBe('open');
    await e.step(1); // 10,350
    const p = await expectOneRoundTrip(e, 'take-profit');
    expect(p.exitPrice!).toBeCloseTo(10_350, 6);
    expect(p.pnlKrw!).toBeGreaterThan(0);

    // Events reach the outbox (one row per channel) and, dispatched, the channel.
    await waitUntil(async () => (await e.rows()).outbox.some((r) => r.eventType === 'sell'), 'the sell event in the outbox');
    const types = (await e.rows()).outbox.map((r) => r.eventType);
    expect(types.filter((t) => t === 'buy')).toHaveLength(1);
    expect(types.filter((t) => t === 'sell')).toHaveLength(1);
    await e.bot.outbox.dispatchDue();
    const sell = e.notifier.events.find((x) => x.type === 'sell');
    expect(e.notifier.events.find((x) => x.type === 'buy')).toMatchObject({ market: 'KRW-AAA', reason: 'signal', mode: 'demo' });
    expect(sell).toMatchObject({ market: 'KRW-AAA', reason: 'take-profit' });
    expect(sell?.type === 'sell' && sell.pnlKrw).toBeCloseTo(p.pnlKrw!, 4);
  });

  test('stop-loss: sold once the price is 2 % below the average fill, at a loss', async () => {
    const e = await spikeThen([9_950, 9_750]);
    const [close] = await e.step(5);
    expect(close).toMatchObject({ pick: 'KRW-AAA', result: 'entered' });
    await e.step(1); // 9,950: above 10,010 × 0.98 = 9,809.8
    expect((await e.rows()).positions[0]!.state).toBe('open');
    await e.step(1);
    const p = await expectOneRoundTrip(e, 'stop-loss');
    expect(p.exitPrice!).toBeCloseTo(9_750, 6);
    expect(p.pnlKrw!).toBeLessThan(0);
  });
});
