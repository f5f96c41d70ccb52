// Engine over real sockets: a market the simulator lists after the bot started is evaluated from the next universe refresh.
import { afterEach, describe, expect, test } from 'bun:test';
import { startEngine, type Engine } from '../helpers/engine-harness.ts';

let engine: Engine | null = null;
afterEach(async () => {
  await engine?.stop();
  engine = null;
});

const NEW = 'KRW-NEW';
const MARKETS = { 'KRW-AAA': { price: 1_000 }, 'KRW-BBB': { price: 2_000 }, 'KRW-CCC': { price: 5_000 }, [NEW]: { price: 3_000, isListed: false } };

describe('engine: a market listed after start', () => {
  test('after a universe refresh its closes are evaluated and its spike is entered like any other', async () => {
    const e = (engine = await startEngine({ markets: MARKETS }));
    const md = e.bot.marketData()!;
    expect(md.universe()).not.toContain(NEW);
    e.model.spike('KRW-AAA', e.t0, 3);
    e.model.spike(NEW, e.t0, 6);

    e.model.list(NEW);
    expect((await md.refreshUniverse()).markets).toContain(NEW);
    const [close] = await e.step(5);
    // Its four previous buckets came from the backfill that followed the refresh: the spike ranks first.
    expect(close!.candidates.map((c) => [c.market, c.volumeRatio])).toEqual([[NEW, 6], ['KRW-AAA', 3]]);
    expect(close).toMatchObject({ pick: NEW, result: 'entered' });
    expect(md.stats().lastClose?.marketsEvaluated).toBe(4);
    const { positions } = await e.rows();
    expect(positions.map((p) => [p.market, p.state])).toEqual([[NEW, 'open']]);
  });

  test('without a refresh the unlisted market is not traded (the simulator hides it until listed)', async () => {
    const e = (engine = await startEngine({ markets: MARKETS }));
    e.model.spike('KRW-AAA', e.t0, 3);
    e.model.spike(NEW, e.t0, 6);
    e.model.list(NEW);
    const [close] = await e.step(5);
    expect(close!.candidates.map((c) => c.market)).toEqual(['KRW-AAA']);
    expect(e.bot.marketData()!.stats().lastClose?.marketsEvaluated).toBe(3);
  });
});
