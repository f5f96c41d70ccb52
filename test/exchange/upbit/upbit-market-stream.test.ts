// The MarketStream port on the Upbit socket, against the real simulator: tickers, candle.5m only, state through a drop.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { Candle, Ticker } from '../../../src/core/types.ts';
import type { MarketStream, MarketStreamState } from '../../../src/exchange/market-stream.ts';
import { createUpbitMarketStream, toMarketStreamState } from '../../../src/exchange/upbit/upbit-market-stream.ts';
import { createSimClock } from '../../../src/sim/clock.ts';
import { startSimulator, type Simulator } from '../../../src/sim/server.ts';
import { createSimWsHub } from '../../../src/sim/ws-hub.ts';
import { createHubFakeModel } from '../../sim/ws-hub-fake-model.ts';
import { waitFor } from './ws-stub-server.ts';

const MARKETS = ['KRW-AAA', 'KRW-BBB', 'KRW-CCC'];
const model = createHubFakeModel(MARKETS, { tradeEveryMs: 5_000 });
const clock = createSimClock({ startAt: Date.UTC(2025, 8, 4, 3, 1, 0), speed: 20 });
const hub = createSimWsHub({ model, clock });
let sim: Simulator;
let stream: MarketStream;
const tickers: Ticker[] = [];
const candles: { candle: Candle; isSnapshot: boolean }[] = [];
const states: MarketStreamState[] = [];

beforeAll(async () => {
  sim = await startSimulator({ model, clock, wsHub: hub, stepIntervalMs: 25 });
  stream = createUpbitMarketStream({ url: sim.wsUrl, backoff: { baseMs: 20, maxMs: 50 } });
  stream.subscribe({ prices: MARKETS, candles5m: MARKETS.slice(0, 2) });
  stream.start({
    onTicker: (t) => tickers.push(t),
    onCandle5m: (candle, isSnapshot) => candles.push({ candle, isSnapshot }),
    onState: (s) => states.push(s),
  });
});
afterAll(async () => {
  await stream.stop();
  await sim.stop();
});

describe('Upbit market stream', () => {
  test('streams tickers for every price market and 5-minute candles only for the candle markets', async () => {
    await waitFor(() => new Set(tickers.map((t) => t.market)).size === 3 && candles.some((c) => !c.isSnapshot), 'tickers and a realtime candle');
    expect(new Set(candles.map((c) => c.candle.market))).toEqual(new Set(MARKETS.slice(0, 2)));
    expect(candles.every((c) => c.candle.openTime % 300_000 === 0)).toBe(true);
    expect(candles.filter((c) => c.isSnapshot).length).toBeGreaterThanOrEqual(2);
    expect(stream.state()).toMatchObject({ isUp: true, connects: 1, detail: null });
  });

  test('a drop shows as down with a reason, then up again with connects 2', async () => {
    hub.dropAll();
    await waitFor(() => stream.state().connects === 2, 'the reconnect');
    const down = states.find((s) => !s.isUp && s.connects === 1 && s.detail !== 'connecting');
    expect(down?.detail).toMatch(/closed|error/);
    expect(stream.state().isUp).toBe(true);
  });

  test('a new subscription replaces the set', async () => {
    stream.subscribe({ prices: ['KRW-CCC'], candles5m: ['KRW-CCC'] });
    const from = candles.length;
    await waitFor(() => candles.slice(from).some((c) => c.candle.market === 'KRW-CCC'), 'a KRW-CCC candle');
    const before = tickers.length;
    await waitFor(() => tickers.length > before + 3, 'more tickers');
    expect(new Set(tickers.slice(before + 1).map((t) => t.market))).toEqual(new Set(['KRW-CCC']));
  });

  test('state mapping: only an open socket is up; the reason explains a closed one', () => {
    const base = { reason: null, lastMessageAt: 5, attempt: 0, retryInMs: null, connects: 2 };
    expect(toMarketStreamState({ ...base, status: 'open' })).toEqual({ isUp: true, lastMessageAt: 5, connects: 2, detail: null });
    expect(toMarketStreamState({ ...base, status: 'closed', reason: 'closed 1006' }).detail).toBe('closed 1006');
    expect(toMarketStreamState({ ...base, status: 'connecting' })).toMatchObject({ isUp: false, detail: 'connecting' });
  });
});
