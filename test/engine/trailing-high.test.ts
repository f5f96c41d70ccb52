// Engine scenario: the trailing stop's high is saved in the db as the price rises, so the dashboard shows the armed
// trailing level and a restart restores it: the trailing stop fires at the level it had before.
import { afterEach, describe, expect, test } from 'bun:test';
import { createStrategySync } from '../../src/bot/strategy-sync.ts';
import { EV_EXIT } from '../../src/core/decide-events.ts';
import { createStrategy } from '../../src/core/decide.ts';
import { EXIT_REASONS } from '../../src/core/exit-rules.ts';
import { DEFAULT_STRATEGY_SETTINGS } from '../../src/core/strategy.ts';
import { FIVE_MIN } from '../helpers/scripted-market.ts';
import { startEngine, waitUntil, type Engine } from '../helpers/engine-harness.ts';

let engine: Engine | null = null;
afterEach(async () => {
  await engine?.stop();
  engine = null;
});

const MARKETS = { 'KRW-AAA': { price: 10_000 }, 'KRW-BBB': { price: 2_000 }, 'KRW-CCC': { price: 50_000 } };
/** 5 % trailing stop; take-profit far away so the rise arms the trailing stop instead of selling. */
const ENV = { TRAILING_STOP: '0.05', PROFIT_RATE: '0.5' };

const aaaHigh = async (e: Engine): Promise<number | null> => (await e.rows()).positions.find((p) => p.market === 'KRW-AAA')?.highPrice ?? null;

describe('engine: the trailing stop\'s high', () => {
  test('is saved as the price rises and restored after a restart, where the trailing stop fires at its level', async () => {
    const e = (engine = await startEngine({ markets: MARKETS, env: ENV }));
    e.model.spike('KRW-AAA', e.t0);
    // The minute after the entry: trades at 10,100 (5 s), 10,600 (20 s), 10,300 (35 s), 10,500 (50 s); the socket
    // carries the price at each clock step, so the test steps to each trade.
    e.model.script('KRW-AAA', e.t0 + FIVE_MIN, [{ open: 10_100, high: 10_600, low: 10_300, close: 10_500 }]);
    const [close] = await e.step(5); // the entry at the close t0 + 5 min (the clock 2 s past it)
    expect(close).toMatchObject({ pick: 'KRW-AAA', result: 'entered' });
    expect((await e.rows()).positions[0]).toMatchObject({ state: 'open', entryPrice: 10_010, highPrice: 10_010 });

    await e.advance(3_000);
    await waitUntil(async () => (await aaaHigh(e)) === 10_100, 'the first high in the db', 2_000);
    await e.advance(15_000);
    await waitUntil(async () => (await aaaHigh(e)) === 10_600, 'the higher high in the db', 2_000);
    await e.advance(15_000); // 10,300, then 10,500: above the trailing level 10,070, and no new high
    await e.advance(15_000);
    expect((await e.rows()).positions[0]).toMatchObject({ state: 'open', highPrice: 10_600 });

    // The dashboard's stop is the armed trailing level.
    const [view] = await e.bot.queries.positions();
    expect(view!.stopLossPrice).toBeCloseTo(10_600 * 0.95, 6);

    // A restart: a fresh strategy restored from the db keeps the high, so the trailing stop stays armed at 10,070.
    const strategy = createStrategy(
      { ...DEFAULT_STRATEGY_SETTINGS, trailingStop: 0.05, profitRate: 0.5, cooldownMinutes: 0 },
      { markets: Object.keys(MARKETS), fills: 'external', autoEnter: false, initialKrw: 0 },
    );
    await createStrategySync({ db: e.handle.db, strategy, cooldownMinutes: 0, hasSellInFlight: () => false }).restore(e.clock.now());
    const a = strategy.marketIndex('KRW-AAA');
    expect(strategy.position(a)).toMatchObject({ state: 'open', entryPrice: 10_010, highPrice: 10_600 });
    expect(strategy.price(a, e.clock.now(), 10_080)).toBe(0);
    expect(strategy.price(a, e.clock.now() + 1, 10_060)).toBe(1);
    expect(strategy.events.kind[0]).toBe(EV_EXIT);
    expect(EXIT_REASONS[strategy.events.reason[0]!]).toBe('trailing-stop');
  });
});
