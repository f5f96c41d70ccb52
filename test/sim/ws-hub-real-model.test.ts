// The hub over the real market model (5 recorded + 120 synthetic markets): one request, data for every market.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createMarketModel } from '../../src/sim/market/model.ts';
import { ofType, startHub } from './ws-hub-harness.ts';

const model = createMarketModel({ seed: 1, syntheticCount: 120 });
const markets = model.listMarkets().map((m) => m.market);
let harness: Awaited<ReturnType<typeof startHub>>;
beforeAll(async () => {
  harness = await startHub(model);
  harness.clock.set(model.span().from + 86_400_000);
});
afterAll(() => harness.stop());

describe('createSimWsHub with the real market model', () => {
  test('snapshots match the model and a simulated minute brings trades and candles for every market', async () => {
    const c = await harness.connect();
    const t0 = harness.clock.now();
    c.send([{ ticket: 't' }, { type: 'ticker', codes: markets }, { type: 'trade', codes: markets, is_only_realtime: true }, { type: 'candle.1m', codes: markets, is_only_realtime: true }, { format: 'SIMPLE' }]);
    await c.waitFor((x) => x.messages.length === markets.length, 'a ticker snapshot per market');
    for (const m of c.messages) expect(m.tp).toBe(model.lastPrice(String(m.cd), t0));
    c.messages.length = 0;
    const t1 = harness.clock.advance(120_000);
    harness.hub.publish(t1);
    const expectedTrades = markets.reduce((n, m) => n + model.trades(m, t0, t1).length, 0);
    await c.waitFor((x) => ofType(x, 'trade').length === expectedTrades, `${expectedTrades} trades`);
    const trades = ofType(c, 'trade');
    expect(new Set(trades.map((t) => t.cd)).size).toBeGreaterThan(markets.length * 0.9);
    expect(trades.every((t) => (t.ttms as number) > t0 && (t.ttms as number) <= t1)).toBe(true);
    expect(new Set(ofType(c, 'candle.1m').map((m) => m.cd)).size).toBeGreaterThan(markets.length * 0.9);
  });
});
