// Keeps the strategy's position book a mirror of the database, which the executor writes from real fills; saves the trailing high back.
import { and, eq, gte, sql } from 'drizzle-orm';
import { kstDayStart, kstDayOf } from '../core/time.ts';
import type { Strategy } from '../core/strategy.ts';
import type { MarketCode } from '../core/types.ts';
import type { Db } from '../db/client.ts';
import { heldVolume, LIVE_POSITION_STATES, listPositions, raiseHighPrice, type PositionRecord } from '../db/repos/positions.ts';
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
  /** The db id of the live position the strategy mirrors in `market` (as of the last sync), if any. */
  positionIdOf(market: MarketCode): number | undefined;
  /** Raises the stored high of an open position (never lowers it; nothing once it is no longer open). */
  saveHigh(positionId: number, price: number): Promise<void>;
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
  /** Position id by market, for the trailing-high writes (an id, not the market: a late write never reaches a later position). */
  const ids = new Map<MarketCode, number>();

  function syncMarket(market: MarketCode, p: PositionRecord | undefined): void {
    const m = strategy.marketIndex(market);
    if (m < 0) return;
    if (p) ids.set(market, p.id);
    else ids.delete(market);
    syncOne(m, p);
  }

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
      // A partial exit: re-seat the position with the volume actually held, keeping its high (the trailing stop's):
      // the strategy's may be ahead of the db's (its write waits out the throttle).
      strategy.forgetPosition(m);
      return restoreOne(m, p, Math.max(p.highPrice ?? 0, snap.highPrice));
    }
    if (snap.state === 'exiting' && p.state === 'open' && !deps.hasSellInFlight(p.market)) strategy.cancelExit(m);
  }

  return {
    livePositions,
    positionIdOf: (market) => ids.get(market),
    saveHigh: (positionId, price) => raiseHighPrice(db, positionId, price),
    async restore(now) {
      for (const p of (await livePositions()).values()) syncMarket(p.market, p);
      await restoreCooldowns(now);
      strategy.restoreDay(await realisedToday(db, now), now);
    },
    async syncMarkets(markets, now) {
      const live = await livePositions();
      for (const market of markets) syncMarket(market, live.get(market));
      await restoreCooldowns(now);
      strategy.restoreDay(await realisedToday(db, now), now);
    },
  };
}

/** Trailing-high writes per market: at most one per window (ms). */
export const HIGH_SAVE_WINDOW_MS = 5_000;

export type HighSaverDeps = {
  /** The db id of the position held in `market`, if any (StrategySync.positionIdOf). */
  idOf(market: MarketCode): number | undefined;
  save(positionId: number, price: number): Promise<void>;
  windowMs: number;
  /** A write failed (it is tried again when the window ends). */
  onError(err: unknown, positionId: number): void;
};

export type HighSaver = {
  /** The high of the position held in `market` rose to `high`: written now, or when the market's window ends (the latest wins). */
  note(market: MarketCode, high: number, now: number): void;
  /** Writes the waiting highs whose window has ended (the every-second job). */
  flush(now: number): void;
  /** Writes every waiting high now (shutdown). */
  flushAll(now: number): Promise<void>;
};

type HighSlot = { id: number; high: number; savedAt: number; isPending: boolean };

/**
 * Saves the strategy's trailing high off the tick path, fire-and-forget: the db keeps it for a restart (strategy
 * restore) and the dashboard's trailing level. A write per new high would hit the db on every rising tick.
 */
export function createHighSaver(deps: HighSaverDeps): HighSaver {
  const slots = new Map<MarketCode, HighSlot>();

  function write(s: HighSlot, now: number): Promise<void> {
    const { id, high } = s;
    s.isPending = false;
    s.savedAt = now;
    return deps.save(id, high).catch((err: unknown) => {
      if (s.id === id) s.isPending = true;
      deps.onError(err, id);
    });
  }

  return {
    note(market, high, now) {
      const id = deps.idOf(market);
      if (id === undefined) return;
      let s = slots.get(market);
      if (s === undefined || s.id !== id) {
        s = { id, high: Number.NEGATIVE_INFINITY, savedAt: Number.NEGATIVE_INFINITY, isPending: false };
        slots.set(market, s);
      }
      if (!(high > s.high)) return;
      s.high = high;
      if (now - s.savedAt >= deps.windowMs) void write(s, now);
      else s.isPending = true;
    },
    flush(now) {
      for (const s of slots.values()) if (s.isPending && now - s.savedAt >= deps.windowMs) void write(s, now);
    },
    async flushAll(now) {
      const writes: Promise<void>[] = [];
      for (const s of slots.values()) if (s.isPending) writes.push(write(s, now));
      await Promise.all(writes);
    },
  };
}
