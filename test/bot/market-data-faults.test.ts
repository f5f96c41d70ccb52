// Market data through socket drops on the real simulator: feed down → REST fallback → reconnect; no bucket missed or doubled.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { Candle } from '../../src/core/types.ts';
import { createMarketData, type MarketData } from '../../src/bot/market-data.ts';
import type { FeedState } from '../../src/bot/view.ts';
import { FIVE_MIN, START, startMarketSim, waitFor, type MarketSim } from './market-data-harness.ts';

const POLL_MS = 40;
let h: MarketSim;
let md: MarketData;
const closed: { market: string; candle: Candle }[] = [];
const feeds: FeedState[] = [];

beforeAll(async () => {
  // A dropped socket stays down for ~0.8 s of real time: long enough to step the clock across a boundary.
  h = await startMarketSim({ syntheticCount: 20, reconnectMs: 800 });
  md = createMarketData({
    exchange: h.exchange, stream: h.stream, clock: h.clock,
    settings: { maxMarkets: null, universeRefreshMs: 0, pollIntervalMs: POLL_MS },
    onClosedCandle: (market, candle) => closed.push({ market, candle }),
    onPrice: () => {},
    onFeedChange: (f) => feeds.push(f),
  });
  md.start();
  await md.ready();
  await h.settle();
});
afterAll(async () => {
  await md.stop();
  await h.stop();
});

const FIRST = Math.floor(START / FIVE_MIN) * FIVE_MIN + FIVE_MIN;
const round = (c: Candle): Candle => ({ ...c, volume: Math.round(c.volume * 1e8) / 1e8, turnoverKrw: Math.round(c.turnoverKrw * 1e4) / 1e4 });

/** The simulator's own candles of the bucket ending at `end`, market code ascending. */
async function truth(end: number) {
  const out: { market: string; candle: Candle }[] = [];
  for (const market of [...md.universe()].sort()) {
    const c = (await h.restCandles(market, end, 1))[0];
    if (c && c.openTime === end - FIVE_MIN) out.push({ market, candle: round(c) });
  }
  return out;
}
const delivered = (end: number) => closed.filter((x) => x.candle.openTime === end - FIVE_MIN).map((x) => ({ market: x.market, candle: round(x.candle) }));

async function dropAndWaitDown() {
  const before = feeds.length;
  await h.dropSockets();
  await waitFor(() => feeds.slice(before).some((f) => !f.isUp), 'the feed to go down');
}

describe('market data through socket drops', () => {
  test('a drop inside a bucket: feed down, REST polling, reconnect; the close still comes whole from the socket', async () => {
    await h.advanceTo(FIRST - 150_000);
    const polls = md.stats().fallbackPolls;
    await dropAndWaitDown();
    await waitFor(() => md.feed().isUp && md.feed().reconnects === 1, 'the reconnect');
    expect(md.stats().fallbackPolls).toBeGreaterThan(polls);
    await h.advanceTo(FIRST + 2_000);
    const report = await md.closeUpTo(FIRST);
    const expected = await truth(FIRST);
    expect(expected.length).toBeGreaterThan(15);
    expect(delivered(FIRST)).toEqual(expected);
    expect(report).toMatchObject({ fromRest: 0, fromSocket: expected.length, failed: [] });
  });

  test('a drop across a boundary: that close comes from REST, the next from the socket again; nothing missed or doubled', async () => {
    const second = FIRST + FIVE_MIN;
    const third = second + FIVE_MIN;
    await h.advanceTo(second - 20_000);
    await dropAndWaitDown();
    expect(md.feed().isUp).toBe(false);
    await h.advanceTo(second + 2_000);
    const whileDown = await md.closeUpTo(second);
    expect(whileDown).toMatchObject({ ends: [second], fromSocket: 0, failed: [] });
    expect(whileDown.fromRest).toBe(whileDown.delivered);
    expect(delivered(second)).toEqual(await truth(second));

    await waitFor(() => md.feed().isUp && md.feed().reconnects === 2, 'the second reconnect');
    await h.settle();
    await h.advanceTo(third + 2_000);
    const afterUp = await md.closeUpTo(third);
    expect(afterUp).toMatchObject({ fromRest: 0, failed: [] });
    expect(delivered(third)).toEqual(await truth(third));

    const keys = closed.map((x) => `${x.market}|${x.candle.openTime}`);
    expect(new Set(keys).size).toBe(keys.length);
    const wentDown = feeds.filter((f, i) => i > 0 && !f.isUp && feeds[i - 1]!.isUp);
    expect(wentDown.map((f) => f.reconnects)).toEqual([0, 1]);
  });

  test('REST polling stops once the socket is back', async () => {
    const polls = md.stats().fallbackPolls;
    const tickerRequests = (await h.simRequests()).ticker ?? 0;
    await Bun.sleep(POLL_MS * 8);
    expect(md.stats().fallbackPolls).toBe(polls);
    expect((await h.simRequests()).ticker ?? 0).toBe(tickerRequests);
    expect(md.feed()).toMatchObject({ isUp: true, reconnects: 2 });
  });
});
