import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import type { DbHandle } from '../../../src/db/client.ts';
import { createAdviserDecisionsRepo, type AdviserDecisionsRepo } from '../../../src/db/repos/adviser-decisions.ts';
import { positions } from '../../../src/db/schema.ts';
import { openTestDb } from '../../helpers/test-db.ts';

let h: DbHandle;
let repo: AdviserDecisionsRepo;
beforeEach(async () => {
  h = await openTestDb();
  repo = createAdviserDecisionsRepo(h.db);
});
afterEach(() => h.close());

const candidates = [{ market: 'KRW-BTC', ratio: 3.1 }, { market: 'KRW-XRP', ratio: 2.4 }];

describe('adviser decisions repo', () => {
  test('a decision round-trips with its candidates and lists newest first', async () => {
    await repo.insert({ at: 1, adviser: 'gemini', candidates, pick: 'KRW-XRP', confidence: 8, risk: 'LOW', reason: '추세', latencyMs: 420, outcome: 'taken' });
    await repo.insert({ at: 2, adviser: 'gemini', candidates, pick: 'KRW-BTC', confidence: 4, outcome: 'vetoed', outcomeReason: 'confidence 4 < 6' });
    const page = await repo.listRecent({ limit: 10 });
    expect(page.total).toBe(2);
    expect(page.items.map((d) => d.outcome)).toEqual(['vetoed', 'taken']);
    expect(page.items[1]).toMatchObject({ adviser: 'gemini', candidates, pick: 'KRW-XRP', confidence: 8, risk: 'LOW', reason: '추세', latencyMs: 420, pnlKrw: null });
    expect(page.items[0]).toMatchObject({ outcomeReason: 'confidence 4 < 6', risk: null });
    expect((await repo.listRecent({ limit: 1, offset: 1 })).items.map((d) => d.at)).toEqual([1]);
  });

  test('the trade\'s eventual PnL reaches the decision that opened it once the position closes, and only that one', async () => {
    const a = await repo.insert({ at: 1, adviser: 'gemini', candidates, pick: 'KRW-BTC', outcome: 'taken' });
    const b = await repo.insert({ at: 2, adviser: 'gemini', candidates, pick: 'KRW-XRP', outcome: 'taken' });
    const position = { volume: 1, entryPrice: 100, entryCostKrw: 100_000, entryFeeKrw: 50, openedAt: 1, createdAt: 1 };
    await h.db.insert(positions).values([
      { ...position, market: 'KRW-BTC', state: 'closed', adviserDecisionId: a, closedAt: 5, exitReason: 'stop-loss', pnlKrw: -2_104 },
      { ...position, market: 'KRW-XRP', state: 'open', adviserDecisionId: b, pnlKrw: null },
    ]);
    const items = (await repo.listRecent({ limit: 10 })).items;
    expect(items.find((d) => d.id === a)!.pnlKrw).toBe(-2_104);
    expect(items.find((d) => d.id === b)!.pnlKrw).toBeNull();
  });
});
