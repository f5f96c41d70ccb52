// Engine scenarios over real sockets: the adviser port (pick, skip) and the daily loss limit across 00:00 KST.
import { afterEach, describe, expect, test } from 'bun:test';
import type { Advice, Adviser, Candidate } from '../../src/ai/adviser.ts';
import { adviserDecisions } from '../../src/db/schema.ts';
import { FIVE_MIN } from '../helpers/scripted-market.ts';
import { startEngine, waitUntil, type Engine } from '../helpers/engine-harness.ts';

let engine: Engine | null = null;
afterEach(async () => {
  await engine?.stop();
  engine = null;
});

const MARKETS = { 'KRW-AAA': { price: 1_000 }, 'KRW-BBB': { price: 2_000 }, 'KRW-CCC': { price: 5_000 }, 'KRW-DDD': { price: 20_000 } };

const blank = { confidence: 70, risk: 'low', reason: 'scripted', promptHash: 'h', rawAnswer: '{}', latencyMs: 12, tokensIn: 1, tokensOut: 1 };

/** An adviser whose answer the test decides from the candidates it sees; it records what it saw. */
function scriptedAdviser(answer: (c: readonly Candidate[]) => Pick<Advice, 'action' | 'market'>): Adviser & { seen: string[][] } {
  const seen: string[][] = [];
  return {
    name: 'scripted',
    isRecorded: true,
    seen,
    async advise(candidates) {
      seen.push(candidates.map((c) => c.market));
      const a = answer(candidates);
      return { ...blank, ...a, outcome: a.action === 'pick' ? 'taken' : 'skipped', outcomeReason: a.action === 'pick' ? 'scripted pick' : 'scripted skip' };
    },
  };
}

describe('engine: adviser port', () => {
  test('a pick other than the top candidate is the one entered, and the round is recorded', async () => {
    const adviser = scriptedAdviser((c) => ({ action: 'pick', market: c[1]!.market }));
    const e = (engine = await startEngine({ markets: MARKETS, adviser }));
    e.model.spike('KRW-AAA', e.t0, 6);
    e.model.spike('KRW-BBB', e.t0, 3);
    const [close] = await e.step(5);
    expect(adviser.seen).toEqual([['KRW-AAA', 'KRW-BBB']]);
    expect(close).toMatchObject({ pick: 'KRW-BBB', result: 'entered' });
    const { positions } = await e.rows();
    expect(positions.map((p) => [p.market, p.state])).toEqual([['KRW-BBB', 'open']]);
    const decisions = await e.handle.db.select().from(adviserDecisions);
    expect(decisions).toHaveLength(1);
    expect(decisions[0]).toMatchObject({ adviser: 'scripted', pick: 'KRW-BBB', outcome: 'taken', at: e.t0 + FIVE_MIN });
    const shown: Candidate[] = JSON.parse(decisions[0]!.candidatesJson);
    expect(shown.map((c) => c.market)).toEqual(['KRW-AAA', 'KRW-BBB']);
    // The adviser's context is real: 24-hour turnover from the universe ranking, the spike's candles.
    for (const c of shown) {
      expect(c.turnover24hKrw).toBeGreaterThan(0);
      expect(c.recentCandles.length).toBeGreaterThan(0);
    }
    expect(positions[0]!.adviserDecisionId).toBe(decisions[0]!.id);
    expect((await e.simState()).orders.map((o) => o.market)).toEqual(['KRW-BBB']);
  });

  test("'skip' enters nothing and stores the decision", async () => {
    const adviser = scriptedAdviser(() => ({ action: 'skip', market: null }));
    const e = (engine = await startEngine({ markets: MARKETS, adviser }));
    e.model.spike('KRW-AAA', e.t0);
    const [close] = await e.step(5);
    expect(close).toMatchObject({ result: 'skipped', pick: null, detail: 'scripted skip' });
    expect((await e.rows()).positions).toEqual([]);
    expect((await e.simState()).orders).toEqual([]);
    const decisions = await e.handle.db.select().from(adviserDecisions);
    expect(decisions.map((d) => [d.outcome, d.pick])).toEqual([['skipped', null]]);
  });
});

describe('engine: daily loss limit', () => {
  test('a loss past DAILY_LOSS_LIMIT stops entries (one event) until 00:00 KST, then entries resume', async () => {
    // 14:30:02 UTC = 23:30:02 KST; the KST day ends at 15:00 UTC (the UTC day, and the price filter's basis, does not).
    const start = Date.UTC(2026, 0, 15, 14, 30, 2);
    const e = (engine = await startEngine({ markets: MARKETS, start, env: { DAILY_LOSS_LIMIT: '-1000' } }));
    e.model.spike('KRW-AAA', e.t0); // entered 14:35:02
    e.model.path('KRW-AAA', e.t0 + FIVE_MIN, [970]); // −3 %: stop-loss at 14:36:02, about −3,100 KRW
    e.model.spike('KRW-BBB', e.t0 + 2 * FIVE_MIN); // refused at 14:45:02
    e.model.spike('KRW-CCC', e.t0 + 3 * FIVE_MIN); // refused at 14:50:02
    e.model.spike('KRW-DDD', e.t0 + 5 * FIVE_MIN); // evaluated 15:00:02 UTC = 00:00:02 KST: entered

    const first = await e.step(6);
    expect(first.map((c) => [c.pick, c.result])).toEqual([['KRW-AAA', 'entered']]);
    await waitUntil(async () => (await e.rows()).positions.some((p) => p.state === 'closed'), 'the stop-loss');
    const [lost] = (await e.rows()).positions;
    expect(lost).toMatchObject({ market: 'KRW-AAA', exitReason: 'stop-loss' });
    expect(lost!.pnlKrw!).toBeLessThan(-1_000);

    const later = (await e.step(24)).filter((c) => c.result !== 'none');
    expect(later.map((c) => [c.pick, c.result])).toEqual([['KRW-BBB', 'refused'], ['KRW-CCC', 'refused'], ['KRW-DDD', 'entered']]);
    expect(later[2]!.boundary).toBe(Date.UTC(2026, 0, 15, 15, 0, 0));
    const { positions, outbox } = await e.rows();
    expect(positions.map((p) => [p.market, p.state])).toEqual([['KRW-AAA', 'closed'], ['KRW-DDD', 'open']]);
    expect(outbox.filter((r) => r.eventType === 'daily-limit-hit')).toHaveLength(1);
    const hit = JSON.parse(outbox.find((r) => r.eventType === 'daily-limit-hit')!.payloadJson);
    expect(hit).toMatchObject({ day: '2026-01-15', limitKrw: -1_000 });
    expect(hit.realisedKrw).toBeCloseTo(lost!.pnlKrw!, 4);
    expect((await e.simState()).orders.map((o) => [o.market, o.side])).toEqual([['KRW-AAA', 'bid'], ['KRW-AAA', 'ask'], ['KRW-DDD', 'bid']]);
  });
});
