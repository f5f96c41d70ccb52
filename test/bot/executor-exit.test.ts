// The exit half of the order lifecycle: sell what is held, PnL from fills, dust, the double-close guard.
import { afterEach, describe, expect, test } from 'bun:test';
import { eq } from 'drizzle-orm';
import { FEE_RATE } from '../../src/core/ticks.ts';
import { getPosition } from '../../src/db/repos/positions.ts';
import { orders, positions } from '../../src/db/schema.ts';
import { InsufficientFunds, RateLimited, Timeout } from '../../src/exchange/errors.ts';
import { createHarness, type Harness } from './harness.ts';

const open: Harness[] = [];
afterEach(() => open.splice(0).forEach((h) => h.handle.close()));

const XRP = 'KRW-XRP';

/** A harness with one open KRW-XRP position bought for 100,000 KRW at 3,000. */
async function withPosition(fake: Parameters<typeof createHarness>[0] = {}) {
  const h = await createHarness(fake);
  open.push(h);
  const r = await h.executor.openPosition({ market: XRP, amountKrw: 100_000 });
  if (r.status !== 'opened') throw new Error(`setup failed: ${r.status}`);
  return { h, positionId: r.positionId, volume: r.volume };
}

describe('executor.closePosition', () => {
  test('sells the whole held volume and records proceeds, fees and PnL from the fills', async () => {
    const { h, positionId, volume } = await withPosition();
    h.exchange.setPrice(XRP, 3_100);
    const result = await h.executor.closePosition(positionId, 'take-profit');
    const sell = h.exchange.placeCalls()[1]!;
    expect(sell).toMatchObject({ market: XRP, side: 'sell', kind: 'market', volume });
    expect(sell.identifier).toMatch(/^cb-exit-/);
    const p = (await getPosition(h.handle.db, positionId))!;
    const proceeds = volume * 3_100;
    const exitFee = proceeds * FEE_RATE;
    const pnl = proceeds - exitFee - (p.entryCostKrw + p.entryFeeKrw);
    expect(p).toMatchObject({ state: 'closed', exitReason: 'take-profit', exitVolume: volume, exitPrice: 3_100, dustVolume: 0 });
    expect(p.exitProceedsKrw).toBeCloseTo(proceeds, 6);
    expect(p.exitFeeKrw).toBeCloseTo(exitFee, 6);
    expect(p.pnlKrw).toBeCloseTo(pnl, 6);
    expect(p.pnlRate).toBeCloseTo(pnl / (p.entryCostKrw + p.entryFeeKrw), 9);
    expect(result).toMatchObject({ status: 'closed', dustVolume: 0 });
    expect(h.eventsOf('exit-filled')[0]).toMatchObject({ positionId, reason: 'take-profit', volume });
  });

  test('the sell volume is the held volume floored to 8 decimals', async () => {
    const h = await createHarness();
    open.push(h);
    const [p] = await h.handle.db
      .insert(positions)
      .values({ market: XRP, state: 'open', volume: 33.123456789123, entryPrice: 3_000, entryCostKrw: 99_370, createdAt: 1 })
      .returning();
    h.exchange.setBalance('XRP', 33.123456789123);
    await h.executor.closePosition(p!.id, 'stop-loss');
    expect(h.exchange.placeCalls()[0]!.volume).toBe(33.12345678);
  });

  test('two concurrent closes of one position post one sell', async () => {
    const { h, positionId } = await withPosition();
    const results = await Promise.all([h.executor.closePosition(positionId, 'stop-loss'), h.executor.closePosition(positionId, 'manual')]);
    expect(results.map((r) => r.status).sort()).toEqual(['closed', 'not-open']);
    expect(h.exchange.placeCalls().filter((c) => c.side === 'sell')).toHaveLength(1);
    expect(await h.executor.closePosition(positionId, 'manual')).toEqual({ status: 'not-open', positionId });
  });

  test('a remainder under 5,000 KRW after the sell is recorded as dust and the position closed', async () => {
    const { h, positionId, volume } = await withPosition();
    h.exchange.scriptNextOrder({ fillRatio: 0.99 });
    const result = await h.executor.closePosition(positionId, 'take-profit');
    const sold = h.exchange.orders()[1]!.executedVolume;
    const p = (await getPosition(h.handle.db, positionId))!;
    expect(result.status).toBe('closed');
    expect(p.state).toBe('closed');
    expect(p.dustVolume).toBeCloseTo(volume - sold, 8);
    expect(h.eventsOf('dust')[0]).toMatchObject({ positionId, positionClosed: true });
    expect(h.exchange.placeCalls()).toHaveLength(2);
  });

  test('a partial sell leaving more than the minimum reopens the position with what is left', async () => {
    const { h, positionId, volume } = await withPosition();
    h.exchange.scriptNextOrder({ fillRatio: 0.5 });
    const first = await h.executor.closePosition(positionId, 'stop-loss');
    const soldFirst = h.exchange.orders()[1]!.executedVolume;
    expect(first).toMatchObject({ status: 'partial' });
    let p = (await getPosition(h.handle.db, positionId))!;
    expect(p).toMatchObject({ state: 'open', exitVolume: soldFirst, exitReason: null });
    const second = await h.executor.closePosition(positionId, 'stop-loss');
    expect(second.status).toBe('closed');
    expect(h.exchange.placeCalls()[2]!.volume).toBeCloseTo(volume - soldFirst, 8);
    p = (await getPosition(h.handle.db, positionId))!;
    expect(p.exitVolume).toBeCloseTo(volume, 8);
    expect(p.exitProceedsKrw).toBeCloseTo(volume * 3_000, 4);
  });

  test('a position worth less than the minimum is closed as dust without posting', async () => {
    const { h, positionId, volume } = await withPosition();
    h.exchange.setPrice(XRP, 100);
    const result = await h.executor.closePosition(positionId, 'stop-loss');
    expect(result).toMatchObject({ status: 'closed', dustVolume: volume });
    expect(h.exchange.placeCalls()).toHaveLength(1);
    const p = (await getPosition(h.handle.db, positionId))!;
    expect(p.pnlKrw).toBeCloseTo(-(p.entryCostKrw + p.entryFeeKrw), 6);
    expect(h.eventsOf('dust')[0]).toMatchObject({ volume, positionClosed: true });
  });

  test('a sell rejected for the minimum total closes the position as dust', async () => {
    const { h, positionId } = await withPosition();
    h.exchange.setPrice(XRP, 100); // the exchange's price; the caller's hint is stale
    const result = await h.executor.closePosition(positionId, 'stop-loss', { priceKrw: 3_000 });
    expect(result.status).toBe('closed');
    expect(h.eventsOf('order-rejected')[0]!.errorName).toBe('MinimumTotal');
    expect((await getPosition(h.handle.db, positionId))!.state).toBe('closed');
  });

  test('a sell rejected for another reason leaves the position open', async () => {
    const { h, positionId } = await withPosition();
    h.exchange.failNext('placeOrder', { error: new InsufficientFunds('no XRP') });
    const result = await h.executor.closePosition(positionId, 'stop-loss');
    expect(result).toMatchObject({ status: 'not-closed', cause: 'rejected' });
    expect((await getPosition(h.handle.db, positionId))!.state).toBe('open');
    expect(h.eventsOf('exit-unfilled')).toHaveLength(1);
  });

  test('a sell refused by a rate-limit block (never sent) is not-closed with the wait, the position open, no lookups', async () => {
    const { h, positionId } = await withPosition();
    const lookupsBefore = h.exchange.calls.filter((c) => c.method === 'findOrderByIdentifier').length;
    h.exchange.failNext('placeOrder', { error: new RateLimited('Not sent to Upbit (rate group order): blocked (418) for another 5000 ms', { status: 418, retryAfterMs: 5_000 }) });
    const result = await h.executor.closePosition(positionId, 'stop-loss');
    expect(result).toMatchObject({ status: 'not-closed', cause: 'rate-limited', retryAfterMs: 5_000 });
    expect((await getPosition(h.handle.db, positionId))!.state).toBe('open');
    const [sell] = await h.handle.db.select().from(orders).where(eq(orders.side, 'sell'));
    expect(sell).toMatchObject({ state: 'rejected' }); // never placed: nothing to look up later
    expect(sell!.error).toContain('blocked (418)');
    expect(h.exchange.calls.filter((c) => c.method === 'findOrderByIdentifier')).toHaveLength(lookupsBefore);
    // After the block the same exit goes through.
    expect((await h.executor.closePosition(positionId, 'stop-loss')).status).toBe('closed');
  });

  test('a sell whose answer was lost is resolved by identifier and closes the position once', async () => {
    const { h, positionId } = await withPosition();
    h.exchange.failNext('placeOrder', { error: new Timeout('timed out'), afterExecute: true });
    const result = await h.executor.closePosition(positionId, 'take-profit');
    expect(result.status).toBe('closed');
    expect(h.exchange.orders().filter((o) => o.side === 'sell')).toHaveLength(1);
    const sells = await h.handle.db.select().from(orders).where(eq(orders.side, 'sell'));
    expect(sells).toHaveLength(1);
    expect(sells[0]!.state).toBe('done');
  });

  test('a periodic resolvePending during a sell in flight leaves the order and the position to that flow', async () => {
    let h: Harness | null = null;
    const during: Awaited<ReturnType<Harness['executor']['resolvePending']>>[] = [];
    const setup = await withPosition({
      onPlaceOrder: async (req) => {
        if (req.side === 'sell') during.push(await h!.executor.resolvePending());
      },
    });
    h = setup.h;
    const result = await h.executor.closePosition(setup.positionId, 'stop-loss');
    expect(during).toEqual([{ checked: 0, settled: 0, unresolved: [] }]);
    expect(result.status).toBe('closed');
    expect(h.eventsOf('exit-unfilled')).toEqual([]);
  });

  test('a position stranded in closing by a crash is reopened by resolvePending', async () => {
    const { h, positionId } = await withPosition();
    await h.handle.db.update(positions).set({ state: 'closing', exitReason: 'stop-loss' }).where(eq(positions.id, positionId));
    const summary = await h.executor.resolvePending();
    expect(summary.unresolved).toEqual([]);
    expect((await getPosition(h.handle.db, positionId))!.state).toBe('open');
  });
});
