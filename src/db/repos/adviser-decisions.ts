// Adviser rounds ↔ the adviser_decisions table: what it saw and said, what the bot did, how the trade ended.
import { and, count, desc, eq, gte, isNotNull, lt } from 'drizzle-orm';
import type { AdviserDecisionView, Page } from '../../bot/view.ts';
import type { Db } from '../client.ts';
import { adviserDecisions } from '../schema.ts';

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
  /** Links the decision to the position it opened. */
  attachPosition(decisionId: number, positionId: number): Promise<void>;
  /** Records the eventual PnL of the trade on every decision linked to that position; returns rows updated. */
  attachPnl(positionId: number, pnlKrw: number): Promise<number>;
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
      const rows = await db.select().from(adviserDecisions).orderBy(desc(adviserDecisions.at), desc(adviserDecisions.id)).limit(limit).offset(offset);
      const [total] = await db.select({ n: count() }).from(adviserDecisions);
      const items = rows.map(
        (r): AdviserDecisionView => ({
          id: r.id, at: r.at, adviser: r.adviser, candidates: parseJson(r.candidatesJson), pick: r.pick, confidence: r.confidence,
          risk: r.risk, reason: r.reason, latencyMs: r.latencyMs, outcome: r.outcome, outcomeReason: r.outcomeReason, pnlKrw: r.pnlKrw,
        }),
      );
      return { items, total: total?.n ?? 0, limit, offset };
    },
    async attachPosition(decisionId, positionId) {
      await db.update(adviserDecisions).set({ positionId }).where(eq(adviserDecisions.id, decisionId));
    },
    async attachPnl(positionId, pnlKrw) {
      const res = await db.update(adviserDecisions).set({ pnlKrw }).where(eq(adviserDecisions.positionId, positionId));
      return res.rowsAffected;
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
