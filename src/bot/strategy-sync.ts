// Keeps the strategy's position book a mirror of the database, which the executor writes from real fills.
import { and, eq, gte, sql } from 'drizzle-orm';
import { kstDayStart, kstDayOf } from '../core/time.ts';
import type { Strategy } from '../core/strategy.ts';
import type { Db } from '../db/client.ts';
import { heldVolume, LIVE_POSITION_STATES, listPositions, type PositionRecord } from '../db/repos/positions.ts';
import { positions } from '../db/schema.ts';

/** Realised PnL of positions closed in the Asia/Seoul day of `now` (the daily loss limit's day). */
export async function realisedToday(db: Db, now: number): Promise<number> {
  const from = kstDayStart(kstDayOf(now));
  const [row] = await db
    .select({ pnl: sql<number>`coalesce(sum(${positions.pnlKrw}), 0)` })
    .from(positions)
    .where(and(eq(positions.state, 'closed'), gte(positions.closedAt, from)));
  return Number(row?.pnl ?? 0);
}

/** Latest stop-loss exit per market since `since` (cooldown restore). */
async function stopLossesSince(db: Db, since: number): Promise<Map<string, number>> {
  const rows = await db
    .select({ market: positions.market, at: sql<number>`max(${positions.closedAt})` })
    .from(positions)
    .where(and(eq(positions.exitReason, 'stop-loss'), gte(positions.closedAt, since)))
    .groupBy(positions.market);
  return new Map(rows.map((r) => [r.market, Number(r.at)]));
}

export type StrategySync = {
  /** At start: live positions (an unresolved entry as a pending one), today's PnL and recent stop-loss cooldowns into a fresh strategy. */
  restore(now: number): Promise<void>;
  /** After any order action: brings each market's strategy position in line with the db. */
  syncMarkets(markets: Iterable<string>, now: number): Promise<void>;
  /** Live positions by market (db truth). */
  livePositions(): Promise<Map<string, PositionRecord>>;
};

export type StrategySyncDeps = { db: Db; strategy: Strategy; cooldownMinutes: number; hasSellInFlight(market: string): boolean };

export function createStrategySync(deps: StrategySyncDeps): StrategySync {
  const { db, strategy } = deps;

  /** Stop-loss exits are booked by the executor in the db; the strategy learns its cooldowns from there. */
  async function restoreCooldowns(now: number): Promise<void> {
    if (deps.cooldownMinutes <= 0) return;
    for (const [market, at] of await stopLossesSince(db, now - deps.cooldownMinutes * 60_000)) {
      const m = strategy.marketIndex(market);
      if (m >= 0) strategy.restoreCooldown(m, at);
    }
  }

  const livePositions = async () => new Map((await listPositions(db, LIVE_POSITION_STATES)).map((p) => [p.market, p]));

  function restoreOne(m: number, p: PositionRecord, highPrice = p.highPrice ?? undefined): void {
    strategy.restorePosition(m, p.entryPrice!, heldVolume(p), p.entryFeeKrw, p.openedAt ?? p.createdAt, highPrice);
  }

  function syncOne(m: number, p: PositionRecord | undefined): void {
    const snap = strategy.position(m);
    const isFilled = p !== undefined && p.state !== 'opening' && p.entryPrice !== null && heldVolume(p) > 0;
    if (!p) {
      // The db holds nothing live here: whatever the strategy believed is gone (closed, never filled, dust).
      if (snap) strategy.forgetPosition(m);
      return;
    }
    if (!isFilled) {
      // Still opening: the strategy keeps its pending entry. An entry whose outcome is unknown (after a restart, the
      // order unresolved) holds its slot as one, so max positions counts it until confirmEntry / forgetPosition.
      if (!snap && p.state === 'opening') strategy.restorePending(m);
      return;
    }
    if (!snap) return restoreOne(m, p);
    if (snap.state === 'pending') {
      strategy.confirmEntry(m, p.entryPrice!, heldVolume(p), p.entryFeeKrw, p.openedAt ?? p.createdAt);
      return;
    }
    if (Math.abs(snap.volume - heldVolume(p)) > 1e-12) {
      // A partial exit: re-seat the position with the volume actually held.
      strategy.forgetPosition(m);
      return restoreOne(m, p);
    }
    if (snap.state === 'exiting' && p.state === 'open' && !deps.hasSellInFlight(p.market)) strategy.cancelExit(m);
  }

  return {
    livePositions,
    async restore(now) {
      for (const p of (await livePositions()).values()) {
        const m = strategy.marketIndex(p.market);
        if (m >= 0) syncOne(m, p);
      }
      await restoreCooldowns(now);
      strategy.restoreDay(await realisedToday(db, now), now);
    },
    async syncMarkets(markets, now) {
      const live = await livePositions();
      for (const market of markets) {
        const m = strategy.marketIndex(market);
        if (m >= 0) syncOne(m, live.get(market));
      }
      await restoreCooldowns(now);
      strategy.restoreDay(await realisedToday(db, now), now);
    },
  };
}
