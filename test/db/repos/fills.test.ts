// Fills repo: idempotent by trade id; totals are volume-weighted.
import { afterEach, describe, expect, test } from 'bun:test';
import type { DbHandle } from '../../../src/db/client.ts';
import { insertFills, listFillsForOrder, listFillsForOrders, totalFills } from '../../../src/db/repos/fills.ts';
import { openTestDb } from '../../helpers/test-db.ts';

const handles: DbHandle[] = [];
afterEach(() => handles.splice(0).forEach((h) => h.close()));
const fill = (tradeId: string, price: number, volume: number, time: number) => ({ tradeId, price, volume, funds: price * volume, time, side: 'buy' as const });

describe('fills repo', () => {
  test('recording the same trade twice is a no-op', async () => {
    const h = await openTestDb();
    handles.push(h);
    const list = [fill('t-1', 100, 2, 10), fill('t-2', 110, 1, 11)];
    expect(await insertFills(h.db, 1, 'KRW-XRP', list)).toBe(2);
    expect(await insertFills(h.db, 1, 'KRW-XRP', [...list, fill('t-3', 120, 1, 12)])).toBe(1);
    expect((await listFillsForOrder(h.db, 1)).map((f) => f.tradeId)).toEqual(['t-1', 't-2', 't-3']);
    expect(await listFillsForOrders(h.db, [2])).toEqual([]);
    expect(await insertFills(h.db, 1, 'KRW-XRP', [])).toBe(0);
  });

  test('totals: summed volume and funds, weighted average price, first time and last price', () => {
    expect(totalFills([fill('a', 100, 2, 10), fill('b', 130, 1, 12)])).toEqual({
      volume: 3, fundsKrw: 330, avgPrice: 110, firstTime: 10, lastPrice: 130, count: 2,
    });
    expect(totalFills([])).toMatchObject({ volume: 0, avgPrice: null, firstTime: null, lastPrice: null });
  });
});
