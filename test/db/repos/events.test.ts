import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import type { DbHandle } from '../../../src/db/client.ts';
import { createEventsRepo, type EventsRepo } from '../../../src/db/repos/events.ts';
import { openTestDb } from '../../helpers/test-db.ts';

let h: DbHandle;
let repo: EventsRepo;
beforeEach(async () => {
  h = await openTestDb();
  repo = createEventsRepo(h.db);
});
afterEach(() => h.close());

describe('events repo', () => {
  test('list() returns newest first with data parsed back', async () => {
    await repo.append({ at: 1_000, level: 'info', kind: 'buy', message: 'bought', data: { market: 'KRW-BTC' } });
    await repo.append({ at: 3_000, level: 'warn', kind: 'feed-down', message: 'feed down' });
    await repo.append({ at: 2_000, level: 'error', kind: 'halted', message: 'halted' });
    const page = await repo.list({ limit: 10 });
    expect(page.items.map((e) => e.at)).toEqual([3_000, 2_000, 1_000]);
    expect(page.items[2]!.data).toEqual({ market: 'KRW-BTC' });
    expect(page.items[0]!.data).toBeNull();
    expect(page.total).toBe(3);
  });

  test('minLevel keeps that level and louder ones', async () => {
    await repo.appendMany([
      { at: 1, level: 'debug', kind: 'k', message: 'd' },
      { at: 2, level: 'info', kind: 'k', message: 'i' },
      { at: 3, level: 'warn', kind: 'k', message: 'w' },
      { at: 4, level: 'error', kind: 'k', message: 'e' },
    ]);
    expect((await repo.list({ limit: 10, minLevel: 'warn' })).items.map((e) => e.message)).toEqual(['e', 'w']);
    expect((await repo.list({ limit: 10, minLevel: 'error' })).total).toBe(1);
    expect((await repo.list({ limit: 10, minLevel: 'debug' })).total).toBe(4);
  });

  test('paging walks the list without overlap and reports the total', async () => {
    await repo.appendMany(Array.from({ length: 7 }, (_, i) => ({ at: i, level: 'info' as const, kind: 'k', message: `m${i}` })));
    const first = await repo.list({ limit: 3, offset: 0 });
    const third = await repo.list({ limit: 3, offset: 6 });
    expect(first.items.map((e) => e.message)).toEqual(['m6', 'm5', 'm4']);
    expect(third.items.map((e) => e.message)).toEqual(['m0']);
    expect(third.total).toBe(7);
    expect(third.offset).toBe(6);
  });

  test('prune() deletes only events older than the cut-off', async () => {
    await repo.appendMany([1, 2, 3, 4].map((at) => ({ at, level: 'info' as const, kind: 'k', message: String(at) })));
    expect(await repo.prune(3)).toBe(2);
    expect((await repo.list({ limit: 10 })).items.map((e) => e.at)).toEqual([4, 3]);
  });

  test('unserializable data is stored as a string rather than throwing', async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await repo.append({ at: 1, level: 'warn', kind: 'k', message: 'x', data: cyclic });
    expect((await repo.list({ limit: 1 })).items[0]!.data).toEqual({ unserializable: '[object Object]' });
  });
});
