// Orders repo: write-ahead rows, the unresolved list, and a final order never moving again.
import { afterEach, describe, expect, test } from 'bun:test';
import type { DbHandle } from '../../../src/db/client.ts';
import { getOrderByIdentifier, insertOrder, listUnresolvedOrders, updateFinalOrderTotals, updateOrder } from '../../../src/db/repos/orders.ts';
import { openTestDb } from '../../helpers/test-db.ts';

const handles: DbHandle[] = [];
afterEach(() => handles.splice(0).forEach((h) => h.close()));
const db = async () => {
  const h = await openTestDb();
  handles.push(h);
  return h.db;
};
const draft = (identifier: string) => ({ identifier, market: 'KRW-BTC', side: 'buy' as const, kind: 'market' as const, purpose: 'entry' as const, amountKrw: 10_000, at: 100 });

describe('orders repo', () => {
  test('a new order is written as submitting and found by its identifier', async () => {
    const d = await db();
    const o = await insertOrder(d, draft('cb-entry-1-a'));
    expect(o).toMatchObject({ state: 'submitting', executedVolume: 0, paidFee: 0, exchangeOrderId: null, createdAt: 100, updatedAt: 100 });
    expect(await getOrderByIdentifier(d, 'cb-entry-1-a')).toEqual(o);
  });

  test('only submitting, unknown and open orders are unresolved', async () => {
    const d = await db();
    const states = ['submitting', 'unknown', 'open', 'done', 'cancelled', 'rejected', 'absent'] as const;
    for (const [i, state] of states.entries()) {
      const o = await insertOrder(d, draft(`cb-entry-1-${i}`));
      if (state !== 'submitting') await updateOrder(d, o.id, { state }, 200);
    }
    expect((await listUnresolvedOrders(d)).map((o) => o.state)).toEqual(['submitting', 'unknown', 'open']);
  });

  test('a final order is never moved back, but its totals can be refreshed', async () => {
    const d = await db();
    const o = await insertOrder(d, draft('cb-entry-1-x'));
    await updateOrder(d, o.id, { state: 'done', executedVolume: 1 }, 200);
    expect(await updateOrder(d, o.id, { state: 'open' }, 300)).toBeNull();
    const refreshed = await updateFinalOrderTotals(d, o.id, { executedVolume: 2, avgPrice: 5, paidFee: 1, rawJson: '{}' }, 400);
    expect(refreshed).toMatchObject({ state: 'done', executedVolume: 2, avgPrice: 5, updatedAt: 400 });
  });
});
