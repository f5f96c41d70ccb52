// Adviser rounds ↔ the adviser_decisions table: what it saw and said, what the bot did, how the trade ended.
import { and, count, desc, eq, gte, isNotNull, lt } from 'drizzle-orm';
import type { AdviserDecisionView, Page } from '../../bot/view.ts';
import type { Db } from '../client.ts';
import { adviserDecisions, positions } from '../schema.ts';

export type AdviserOutcome = 'taken' | 'vetoed' | 'fallback' | 'skipped';

export type NewAdviserDecision = {
  at: number;
  adviser: string;
  /** The ranked candidates the adviser was shown (stored as JSON). */
  candidates: unknown;
  promptHash?: string | null;
  rawAnswer?: string | null;
  pick?: string | null;
  confidence?: number | null;
  risk?: string | null;
  reason?: string | null;
  latencyMs?: number | null;
  tokensIn?: number | null;
  tokensOut?: number | null;
  outcome: AdviserOutcome;
  outcomeReason?: string | null;
};

export type AdviserDecisionsRepo = {
  insert(d: NewAdviserDecision): Promise<number>;
  /** Newest first. */
  listRecent(q: { limit: number; offset?: number }): Promise<Page<AdviserDecisionView>>;
  /** Rounds of `adviser` at `from` ≤ at < `to` that sent a request (latencyMs is set only then): the monthly AI quota. */
  countRequests(q: { adviser: string; from: number; to: number }): Promise<number>;
};

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function createAdviserDecisionsRepo(db: Db): AdviserDecisionsRepo {
  return {
    async insert(d) {
      const { candidates, ...rest } = d;
      const [row] = await db
        .insert(adviserDecisions)
        .values({ ...rest, candidatesJson: JSON.stringify(candidates) ?? 'null' })
        .returning({ id: adviserDecisions.id });
      return row!.id;
    },
    async listRecent({ limit, offset = 0 }) {
      // The trade's PnL comes from the position the decision opened (positions.adviser_decision_id), so it is
      // there as soon as the executor closes the position — no second write to keep in step.
      const rows = await db
        .select({ d: adviserDecisions, tradePnl: positions.pnlKrw, tradeState: positions.state })
        .from(adviserDecisions)
        .leftJoin(positions, eq(positions.adviserDecisionId, adviserDecisions.id))
        .orderBy(desc(adviserDecisions.at), desc(adviserDecisions.id))
        .limit(limit)
        .offset(offset);
      const [total] = await db.select({ n: count() }).from(adviserDecisions);
      const items = rows.map(
        ({ d: r, tradePnl, tradeState }): AdviserDecisionView => ({
          id: r.id, at: r.at, adviser: r.adviser, candidates: parseJson(r.candidatesJson), pick: r.pick, confidence: r.confidence,
          risk: r.risk, reason: r.reason, latencyMs: r.latencyMs, outcome: r.outcome, outcomeReason: r.outcomeReason,
          pnlKrw: r.pnlKrw ?? (tradeState === 'closed' ? tradePnl : null),
        }),
      );
      return { items, total: total?.n ?? 0, limit, offset };
    },
    async countRequests({ adviser, from, to }) {
      const d = adviserDecisions;
      const [row] = await db
        .select({ n: count() })
        .from(d)
        .where(and(eq(d.adviser, adviser), gte(d.at, from), lt(d.at, to), isNotNull(d.latencyMs)));
      return row?.n ?? 0;
    },
  };
}
