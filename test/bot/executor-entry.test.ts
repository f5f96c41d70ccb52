// The entry half of the order lifecycle: write-ahead, one POST per intent, unknown outcomes, fills → position.
import { afterEach, describe, expect, test } from 'bun:test';
import { fills, orders, positions } from '../../src/db/schema.ts';
import { AuthFailed, InsufficientFunds, Timeout, Unavailable } from '../../src/exchange/errors.ts';
import type { Db } from '../../src/db/client.ts';
import { createHarness, type Harness } from './harness.ts';

const open: Harness[] = [];
afterEach(() => open.splice(0).forEach((h) => h.handle.close()));
const harness = async (...args: Parameters<typeof createHarness>) => {
  const h = await createHarness(...args);
  open.push(h);
  return h;
};

const BTC = 'KRW-BTC';
const PRICE = 150_000_000;
const rows = async (db: Db) => ({
  orders: await db.select().from(orders),
  positions: await db.select().from(positions),
  fills: await db.select().from(fills),
});

describe('executor.openPosition', () => {
  test('writes the position and the submitting order before the POST', async () => {
    let db: Db | null = null;
    let seen: Awaited<ReturnType<typeof rows>> | null = null;
    let identifier = '';
    const h = await harness({
      onPlaceOrder: async (req) => {
        identifier = req.identifier;
        seen = await rows(db!);
      },
    });
    db = h.handle.db;
    await h.executor.openPosition({ market: BTC, amountKrw: 100_000 });
    expect(seen!.orders).toHaveLength(1);
    expect(seen!.orders[0]).toMatchObject({ identifier, state: 'submitting', purpose: 'entry', side: 'buy', kind: 'market', amountKrw: 100_000 });
    expect(seen!.positions).toHaveLength(1);
    expect(seen!.positions[0]).toMatchObject({ id: seen!.orders[0]!.positionId!, state: 'opening', market: BTC, volume: 0 });
    expect(identifier).toMatch(/^cb-entry-[0-9a-z]+-[0-9a-z]+$/);
  });

  test('a market buy that ends cancelled with fills opens the position from its fills', async () => {
    const h = await harness();
    const result = await h.executor.openPosition({ market: BTC, amountKrw: 100_000, signalRatio: 3.2 });
    const [order] = h.exchange.orders();
    expect(order!.state).toBe('cancelled');
    const volume = order!.executedVolume;
    expect(result).toMatchObject({ status: 'opened', volume, avgPrice: PRICE });
    const { positions: [p], orders: [o] } = await rows(h.handle.db);
    expect(o).toMatchObject({ state: 'cancelled', exchangeOrderId: order!.id, executedVolume: volume, avgPrice: PRICE });
    expect(p).toMatchObject({ state: 'open', volume, entryPrice: PRICE, entryCostKrw: volume * PRICE, entryFeeKrw: order!.paidFee, signalRatio: 3.2 });
    expect(h.eventsOf('entry-filled')).toHaveLength(1);
    expect(h.exchange.placeCalls()).toEqual([{ market: BTC, side: 'buy', kind: 'market', identifier: o!.identifier, amountKrw: 100_000 }]);
  });

  test('a rejected entry leaves no position and a rejected order', async () => {
    const h = await harness();
    h.exchange.failNext('placeOrder', { error: new InsufficientFunds('Not enough KRW') });
    const result = await h.executor.openPosition({ market: BTC, amountKrw: 100_000 });
    expect(result).toMatchObject({ status: 'not-opened', cause: 'rejected' });
    const r = await rows(h.handle.db);
    expect(r.positions).toEqual([]);
    expect(r.orders[0]).toMatchObject({ state: 'rejected' });
    expect(r.orders[0]!.error).toContain('InsufficientFunds');
    expect(h.eventsOf('order-rejected')[0]).toMatchObject({ errorName: 'InsufficientFunds', market: BTC });
    expect(h.eventsOf('entry-unfilled')[0]).toMatchObject({ cause: 'rejected' });
  });

  for (const [name, fault] of [
    ['an unknown result', { unknown: true, afterExecute: true }],
    ['a thrown Timeout', { error: new Timeout('timed out'), afterExecute: true }],
    ['a thrown Unavailable', { error: new Unavailable('502'), afterExecute: true }],
  ] as const) {
    test(`${name} after the order executed is resolved by identifier, never re-posted`, async () => {
      const h = await harness();
      h.exchange.failNext('placeOrder', fault);
      const result = await h.executor.openPosition({ market: BTC, amountKrw: 100_000 });
      expect(h.exchange.placeCalls()).toHaveLength(1);
      expect(h.exchange.orders()).toHaveLength(1);
      const [atExchange] = h.exchange.orders();
      expect(result).toMatchObject({ status: 'opened', volume: atExchange!.executedVolume });
      const r = await rows(h.handle.db);
      expect(r.orders[0]).toMatchObject({ state: 'cancelled', exchangeOrderId: atExchange!.id });
      expect(r.positions[0]).toMatchObject({ state: 'open', volume: atExchange!.executedVolume });
      expect(h.events.map((e) => e.type)).toEqual(['order-unknown', 'order-resolved', 'entry-filled']);
    });
  }

  test('an unknown outcome the exchange proves absent leaves no position and no second POST', async () => {
    const h = await harness();
    h.exchange.failNext('placeOrder', { unknown: true, afterExecute: false });
    const result = await h.executor.openPosition({ market: BTC, amountKrw: 100_000 });
    expect(result).toMatchObject({ status: 'not-opened', cause: 'absent' });
    expect(h.exchange.placeCalls()).toHaveLength(1);
    expect(h.exchange.orders()).toEqual([]);
    const r = await rows(h.handle.db);
    expect(r.orders[0]!.state).toBe('absent');
    expect(r.positions).toEqual([]);
    // Absence counts only after absentAfterMs: the first lookups said "not yet".
    expect(h.exchange.calls.filter((c) => c.method === 'findOrderByIdentifier').length).toBeGreaterThan(1);
  });

  test('while the exchange stays unreachable the order stays unknown, and a later resolve finds it once', async () => {
    const h = await harness();
    h.exchange.failNext('placeOrder', { error: new Timeout('timed out'), afterExecute: true });
    for (let i = 0; i < 6; i++) h.exchange.failNext('findOrderByIdentifier', { error: new Unavailable('down') });
    const result = await h.executor.openPosition({ market: BTC, amountKrw: 100_000 });
    expect(result.status).toBe('pending');
    let r = await rows(h.handle.db);
    expect(r.orders[0]!.state).toBe('unknown');
    expect(r.orders[0]!.resolveAttempts).toBeGreaterThan(0);
    expect(r.positions[0]!.state).toBe('opening');
    expect(h.eventsOf('order-unresolved')).toHaveLength(1);

    const first = await h.executor.resolvePending();
    const second = await h.executor.resolvePending();
    expect(first).toMatchObject({ checked: 1, settled: 1, unresolved: [] });
    expect(second.checked).toBe(0);
    r = await rows(h.handle.db);
    const [atExchange] = h.exchange.orders();
    expect(r.fills).toHaveLength(1);
    expect(r.positions[0]).toMatchObject({ state: 'open', volume: atExchange!.executedVolume });
    expect(h.eventsOf('entry-filled')).toHaveLength(1);
    expect(h.exchange.placeCalls()).toHaveLength(1);
  });

  test('partial fills: volume is the sum of the trades and the entry price their weighted average', async () => {
    const h = await harness();
    h.exchange.scriptNextOrder({ fillRatio: 0.5, trades: 3 });
    const result = await h.executor.openPosition({ market: 'KRW-XRP', amountKrw: 100_000 });
    const r = await rows(h.handle.db);
    const sum = r.fills.reduce((s, f) => s + f.volume, 0);
    expect(r.fills).toHaveLength(3);
    expect(sum).toBeCloseTo(h.exchange.orders()[0]!.executedVolume, 10);
    expect(result).toMatchObject({ status: 'opened' });
    expect(r.positions[0]!.volume).toBeCloseTo(sum, 10);
    expect(r.positions[0]!.entryCostKrw).toBeCloseTo(r.fills.reduce((s, f) => s + f.fundsKrw, 0), 6);
    expect(r.positions[0]!.entryPrice).toBeCloseTo(3_000, 6);
  });

  test('an order that stays open is polled until it fills', async () => {
    const h = await harness();
    h.exchange.scriptNextOrder({ openPolls: 3 });
    const result = await h.executor.openPosition({ market: BTC, amountKrw: 50_000 });
    expect(result.status).toBe('opened');
    expect(h.exchange.calls.filter((c) => c.method === 'fetchOrder')).toHaveLength(3);
  });

  test('an entry that ends with zero fills leaves no position', async () => {
    const h = await harness();
    h.exchange.scriptNextOrder({ fillRatio: 0 });
    const result = await h.executor.openPosition({ market: BTC, amountKrw: 50_000 });
    expect(result).toMatchObject({ status: 'not-opened', cause: 'no-fills' });
    expect((await rows(h.handle.db)).positions).toEqual([]);
  });

  test('a second entry in a market with a live position posts nothing', async () => {
    const h = await harness();
    await h.executor.openPosition({ market: BTC, amountKrw: 50_000 });
    const again = await h.executor.openPosition({ market: BTC, amountKrw: 50_000 });
    expect(again).toEqual({ status: 'duplicate', market: BTC });
    expect(h.exchange.placeCalls()).toHaveLength(1);
    expect((await rows(h.handle.db)).orders).toHaveLength(1);
  });

  test('an auth failure is rethrown for the caller to halt, leaving no position', async () => {
    const h = await harness();
    h.exchange.failNext('placeOrder', { error: new AuthFailed('invalid key') });
    await expect(h.executor.openPosition({ market: BTC, amountKrw: 50_000 })).rejects.toThrow('invalid key');
    const r = await rows(h.handle.db);
    expect(r.orders[0]!.state).toBe('rejected');
    expect(r.positions).toEqual([]);
  });

  test('inFlight counts an order in flight and drain reports whether it finished in time', async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const h = await harness({ onPlaceOrder: () => gate });
    const pending = h.executor.openPosition({ market: BTC, amountKrw: 50_000 });
    expect(h.executor.inFlight()).toBe(1);
    expect(await h.executor.drain(1_000)).toBe(false);
    release();
    expect((await pending).status).toBe('opened');
    expect(h.executor.inFlight()).toBe(0);
    expect(await h.executor.drain(1_000)).toBe(true);
  });
});
