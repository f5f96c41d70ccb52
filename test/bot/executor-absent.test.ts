// "Absent" is trusted only absentAfterMs after the POST ended (not after the order row was written): a slow POST
// (UPBIT_TIMEOUT_MS up to 60 s, a rate-limit pause) that the exchange shows a moment later is found, never dropped.
import { afterEach, describe, expect, test } from 'bun:test';
import { createExecutor, type Executor } from '../../src/bot/executor.ts';
import type { ExecutorSettings } from '../../src/bot/executor-types.ts';
import { seededRandom } from '../../src/bot/identifiers.ts';
import { getPosition } from '../../src/db/repos/positions.ts';
import { orders } from '../../src/db/schema.ts';
import { Timeout } from '../../src/exchange/errors.ts';
import type { Exchange } from '../../src/exchange/exchange.ts';
import { waitUntil } from '../helpers/engine-harness.ts';
import { createHarness, TEST_SETTINGS, type Harness } from './harness.ts';

const open: Harness[] = [];
afterEach(() => open.splice(0).forEach((h) => h.handle.close()));

const XRP = 'KRW-XRP';
const ABSENT_AFTER = 10_000;
const POST_TAKES = 15_000; // UPBIT_TIMEOUT_MS=15000: the POST gives up 15 s after the row was written
const SETTINGS: Partial<ExecutorSettings> = { ...TEST_SETTINGS, absentAfterMs: ABSENT_AFTER };

/** A harness whose POSTs take 15 s of the injected clock (the fake's faults decide how they end). */
async function slowPostHarness(): Promise<Harness> {
  let h: Harness | null = null;
  h = await createHarness({ onPlaceOrder: () => h!.clock.advance(POST_TAKES) }, SETTINGS);
  open.push(h);
  return h;
}

/** The exchange as the executor sees it: identifier lookups answer "not found" `misses` times before the truth. */
function lateToShow(h: Harness, misses: number): Exchange {
  let left = misses;
  return { ...h.exchange, findOrderByIdentifier: async (identifier) => (left-- > 0 ? null : h.exchange.findOrderByIdentifier(identifier)) };
}

/** One bot process on the harness's db and clock; `dies`: it never comes back from its first wait (a crash). */
function processOf(h: Harness, o: { exchange?: Exchange; dies?: boolean; seed?: number } = {}): Executor {
  return createExecutor({
    db: h.handle.db,
    exchange: o.exchange ?? h.exchange,
    clock: h.clock,
    random: seededRandom(o.seed ?? 11),
    onEvent: (e) => h.events.push(e),
    sleep: o.dies ? () => new Promise<void>(() => {}) : async (ms) => h.clock.advance(ms),
    settings: SETTINGS,
  });
}

const absentEvents = (h: Harness) => h.eventsOf('order-resolved').filter((e) => e.outcome === 'absent');

describe('absence is measured from when the POST ended', () => {
  test('entry: a timed-out buy that shows up on the 2nd lookup is found and opens the position', async () => {
    const h = await slowPostHarness();
    h.exchange.failNext('placeOrder', { error: new Timeout('timed out after 15000 ms'), afterExecute: true });
    const result = await processOf(h, { exchange: lateToShow(h, 1) }).openPosition({ market: XRP, amountKrw: 100_000 });
    const [atExchange] = h.exchange.orders();
    expect(absentEvents(h)).toEqual([]);
    expect(result).toMatchObject({ status: 'opened', volume: atExchange!.executedVolume });
    const [row] = await h.handle.db.select().from(orders);
    expect(row).toMatchObject({ state: 'cancelled', exchangeOrderId: atExchange!.id });
    expect(h.exchange.placeCalls()).toHaveLength(1);
  });

  test('exit: a timed-out sell that shows up on the 2nd lookup is found and closes the position', async () => {
    const h = await slowPostHarness();
    const opened = await processOf(h).openPosition({ market: XRP, amountKrw: 100_000 });
    if (opened.status !== 'opened') throw new Error(`setup failed: ${opened.status}`);
    h.exchange.failNext('placeOrder', { error: new Timeout('timed out after 15000 ms'), afterExecute: true });
    const result = await processOf(h, { exchange: lateToShow(h, 1), seed: 12 }).closePosition(opened.positionId, 'stop-loss');
    expect(absentEvents(h)).toEqual([]);
    expect(h.eventsOf('exit-unfilled')).toEqual([]);
    expect(result).toMatchObject({ status: 'closed' });
    expect((await getPosition(h.handle.db, opened.positionId))!.exitVolume).toBeCloseTo(opened.volume, 10);
  });

  test('a timed-out buy that never reached the exchange is still proven absent in the flow, absentAfterMs after the timeout', async () => {
    const h = await slowPostHarness();
    h.exchange.failNext('placeOrder', { error: new Timeout('timed out after 15000 ms'), afterExecute: false });
    const result = await processOf(h).openPosition({ market: XRP, amountKrw: 100_000 });
    expect(result).toMatchObject({ status: 'not-opened', cause: 'absent' });
    const [unknown] = h.eventsOf('order-unknown');
    const [absent] = absentEvents(h);
    expect(absent!.at - unknown!.at).toBeGreaterThanOrEqual(ABSENT_AFTER);
    expect(h.exchange.orders()).toEqual([]);
  });

  test('after a restart: an order marked unknown just before the crash is not declared absent at once', async () => {
    const h = await slowPostHarness();
    h.exchange.failNext('placeOrder', { error: new Timeout('timed out after 15000 ms'), afterExecute: true });
    void processOf(h, { exchange: lateToShow(h, 1), dies: true }).openPosition({ market: XRP, amountKrw: 100_000 });
    const firstRow = async () => (await h.handle.db.select().from(orders))[0];
    await waitUntil(async () => (await firstRow())?.state === 'unknown', 'the timed-out POST recorded as unknown');
    const row = await firstRow();
    h.clock.advance(3_000); // restarted 3 s after the timeout, 18 s after the row was written
    const executor = processOf(h, { exchange: lateToShow(h, 1), seed: 12 });
    const first = await executor.resolvePending();
    expect(first.unresolved).toHaveLength(1);
    expect(absentEvents(h)).toEqual([]);
    const second = await executor.resolvePending();
    expect(second.settled).toBe(1);
    expect((await getPosition(h.handle.db, row!.positionId!))!.state).toBe('open');
  });

  test('after a restart: a POST cut off by the crash counts from the first lookup that misses it, not from the row', async () => {
    const h = await createHarness({ onPlaceOrder: () => new Promise<void>(() => {}) }, SETTINGS); // the POST never returns
    open.push(h);
    void processOf(h).openPosition({ market: XRP, amountKrw: 100_000 });
    const firstRow = async () => (await h.handle.db.select().from(orders))[0];
    await waitUntil(async () => (await firstRow()) !== undefined, 'the write-ahead order row');
    const row = await firstRow();
    expect(row!.state).toBe('submitting');
    h.clock.advance(60_000); // e.g. a rate-limit pause, then the request went out just before the crash
    const executor = processOf(h, { seed: 12 });
    const first = await executor.resolvePending();
    expect(first.unresolved.map((o) => o.state)).toEqual(['unknown']);
    expect(absentEvents(h)).toEqual([]);
    expect((await getPosition(h.handle.db, row!.positionId!))!.state).toBe('opening');
    h.clock.advance(ABSENT_AFTER);
    const later = await executor.resolvePending();
    expect(later).toMatchObject({ settled: 1, unresolved: [] });
    expect(absentEvents(h)).toHaveLength(1);
    expect(await getPosition(h.handle.db, row!.positionId!)).toBeNull();
    expect(h.eventsOf('entry-unfilled')[0]).toMatchObject({ cause: 'absent' });
  });
});
