// The strategy as one incremental, allocation-free state machine over markets 0..n-1: the live bot and the backtester both drive it.
import { createBucketAggregator, FIVE_MINUTES_MS, OUT_CLOSE, OUT_VOLUME } from './candles5m.ts';
import {
  addPending,
  createBook,
  dropPending,
  fillEntry,
  forget,
  POS_EXITING,
  POS_NONE,
  POS_OPEN,
  POS_PENDING,
  realise,
  rollDay,
  snapshot,
} from './decide-book.ts';
import {
  createCandidateBuffer,
  createEventBuffer,
  EV_CANDIDATES,
  EV_ENTRY,
  EV_ENTRY_FILLED,
  EV_ENTRY_REFUSED,
  EV_EXIT,
  insertCandidate,
  pushEvent,
} from './decide-events.ts';
import { barExitCode, EXIT_END_OF_DATA, EXIT_MANUAL, priceExitCode } from './exit-rules.ts';
import { checkEntry, isFlagged, kstDayNumber, NO_FLAGS, type EntryContext, type MarketFlags } from './risk.ts';
import { isVolumeSpike, passesPriceFilter } from './spike.ts';
import type { Strategy, StrategyOptions, StrategySettings } from './strategy.ts';
import type { Verdict } from './types.ts';

const DAY_MS = 86_400_000;

/**
 * Semantics: DESIGN.md "Strategy semantics". Each input first evaluates the 5-minute boundary it crossed
 * (closing every open bucket, ranking spikes, at most one entry), then fills this market's pending entry
 * (simulated fills) and checks its exits, then aggregates the input. Per-market exclusions from the
 * candidates: flagged, held or pending, and in cooldown (a locked market is skipped, not blocking).
 */
export function createStrategy(s: StrategySettings, o: StrategyOptions): Strategy {
  const names = o.markets;
  const n = names.length;
  const simulated = (o.fills ?? 'simulated') === 'simulated';
  const autoEnter = o.autoEnter ?? true;
  const interval = o.intervalMs ?? FIVE_MINUTES_MS;
  const cooldownMs = s.cooldownMinutes * 60_000;
  const agg = createBucketAggregator(n, interval);
  const out = agg.out;
  const ev = createEventBuffer(n + 8);
  const cand = createCandidateBuffer(n);
  const codeRank = new Int32Array(n);
  [...names.keys()].sort((a, b) => (names[a]! < names[b]! ? -1 : 1)).forEach((m, rank) => (codeRank[m] = rank));
  const index = new Map(names.map((code, i) => [code, i] as const));
  const b = createBook(n, s, o.initialKrw ?? Number.POSITIVE_INFINITY);
  const { state, levels, lastStopAt } = b;

  const inOpen = new Uint8Array(n);
  const openList = new Int32Array(n);
  const ring = new Float64Array(n * 4);
  const ringCount = new Uint8Array(n);
  const ringPos = new Uint8Array(n);
  const lastClose = new Float64Array(n).fill(Number.NaN);
  const prevDay = new Float64Array(n).fill(Number.NaN);
  const nextDay = new Float64Array(n).fill(Number.NEGATIVE_INFINITY);
  const flagged = new Uint8Array(n);
  const flags: MarketFlags[] = names.map(() => NO_FLAGS);
  const ctx: EntryContext = {
    market: '', now: 0, flags: NO_FLAGS, isHeld: false, isPending: false, openPositions: 0,
    pendingEntries: 0, realisedPnlTodayKrw: 0, freeKrw: 0, lastStopLossAt: null,
  };
  let openLen = 0;
  let evaluated = Number.NEGATIVE_INFINITY;
  let nextBoundary = Number.NEGATIVE_INFINITY;
  let enteredAt = Number.NaN;
  let late = 0;
  let refusal: Verdict | null = null;

  function evaluate(boundary: number): void {
    evaluated = boundary;
    nextBoundary = boundary + interval;
    rollDay(b, boundary);
    cand.count = 0;
    cand.time = boundary;
    for (let j = 0; j < openLen; j++) {
      const m = openList[j]!;
      inOpen[m] = 0;
      if (agg.closeIfEnded(m, boundary)) closeBucket(m, boundary);
    }
    openLen = 0;
    if (cand.count === 0) return;
    pushEvent(ev, EV_CANDIDATES, -1, 0, boundary, Number.NaN, Number.NaN, cand.count);
    if (autoEnter) tryEnter(cand.market[0]!, boundary, cand.ratio[0]!);
  }

  /** The spike rule on m's just-closed bucket (in agg.out), then the bucket's volume joins the ring of four. */
  function closeBucket(m: number, boundary: number): void {
    const vol = out[OUT_VOLUME]!;
    const close = out[OUT_CLOSE]!;
    const r = m * 4;
    if (ringCount[m] === 4) {
      const mean = (ring[r]! + ring[r + 1]! + ring[r + 2]! + ring[r + 3]!) / 4;
      const eligible = flagged[m] === 0 && state[m] === POS_NONE && !(lastStopAt[m]! + cooldownMs > boundary);
      if (eligible && isVolumeSpike(vol, mean, s.volumeSpikeThreshold) && passesPriceFilter(close, prevDay[m]!, s.priceChangeLimit)) {
        insertCandidate(cand, codeRank, m, vol / mean, close, prevDay[m]!);
      }
    } else ringCount[m] = ringCount[m]! + 1;
    ring[r + ringPos[m]!] = vol;
    ringPos[m] = (ringPos[m]! + 1) & 3;
  }

  function tryEnter(m: number, now: number, ratio: number): Verdict {
    rollDay(b, now);
    ctx.market = names[m]!;
    ctx.now = now;
    ctx.flags = flags[m]!;
    ctx.isHeld = state[m]! >= POS_OPEN;
    ctx.isPending = state[m] === POS_PENDING;
    ctx.openPositions = b.openCount;
    ctx.pendingEntries = b.pendingCount;
    ctx.realisedPnlTodayKrw = b.today;
    ctx.freeKrw = b.cash - b.reserved;
    ctx.lastStopLossAt = lastStopAt[m]! === lastStopAt[m]! ? lastStopAt[m]! : null;
    const verdict = checkEntry(ctx, s);
    if (!verdict.ok) {
      refusal = verdict;
      pushEvent(ev, EV_ENTRY_REFUSED, m, 0, now, Number.NaN, Number.NaN, ratio);
      return verdict;
    }
    addPending(b, m);
    enteredAt = evaluated;
    pushEvent(ev, EV_ENTRY, m, 0, now, Number.NaN, Number.NaN, ratio);
    return verdict;
  }

  function fillPendingAt(m: number, price: number, t: number): void {
    const vol = s.investmentKrw / price;
    const fee = s.investmentKrw * s.feeRate;
    fillEntry(b, s, m, price, vol, fee, t);
    pushEvent(ev, EV_ENTRY_FILLED, m, 0, t, price, vol, fee);
  }

  function exit(m: number, code: number, price: number, t: number): void {
    const i = pushEvent(ev, EV_EXIT, m, code, t, price, b.volume[m]!, Number.NaN);
    ev.entryPrice[i] = levels[m]!.entryPrice;
    ev.entryTime[i] = b.entryTime[m]!;
    if (simulated) ev.value[i] = realise(b, m, code, price, price * b.volume[m]! * s.feeRate, t);
    else {
      state[m] = POS_EXITING;
      b.exitCode[m] = code;
    }
  }

  function candle(m: number, t: number, op: number, hi: number, lo: number, cl: number, v: number): number {
    ev.count = 0;
    if (t < evaluated) return ++late, 0;
    if (t >= nextBoundary) evaluate(Math.floor(t / interval) * interval);
    let st = state[m]!;
    if (st === POS_PENDING && simulated) fillPendingAt(m, op, t), (st = POS_OPEN);
    // Live (external fills): exits come from prices only. A closed candle's range can predate the entry.
    if (st === POS_OPEN && simulated) {
      const code = barExitCode(levels[m]!, t, op, hi, lo, cl);
      if (code !== 0) exit(m, code, levels[m]!.exitPrice, t);
    }
    if (inOpen[m] === 0) (inOpen[m] = 1), (openList[openLen++] = m);
    agg.addCandle(m, t, op, hi, lo, cl, v, Number.NaN);
    if (t >= nextDay[m]!) (prevDay[m] = lastClose[m]!), (nextDay[m] = Math.floor(t / DAY_MS) * DAY_MS + DAY_MS);
    lastClose[m] = cl;
    return ev.count;
  }

  function tick(m: number, t: number, price: number, v: number): number {
    ev.count = 0;
    if (t < evaluated) return ++late, 0;
    if (t >= nextBoundary) evaluate(Math.floor(t / interval) * interval);
    let st = state[m]!;
    if (st === POS_PENDING && simulated) fillPendingAt(m, price, t), (st = POS_OPEN);
    if (st === POS_OPEN) {
      const code = priceExitCode(levels[m]!, price, t);
      if (code !== 0) exit(m, code, price, t);
    }
    if (v > 0) {
      if (inOpen[m] === 0) (inOpen[m] = 1), (openList[openLen++] = m);
      agg.addTrade(m, t, price, v, price * v);
      if (t >= nextDay[m]!) (prevDay[m] = lastClose[m]!), (nextDay[m] = Math.floor(t / DAY_MS) * DAY_MS + DAY_MS);
      lastClose[m] = price;
    }
    return ev.count;
  }

  const refuse = (rule: string, reason: string): Verdict => ({ ok: false, rule, reason });

  return {
    markets: names,
    events: ev,
    candidates: cand,
    candle,
    tick,
    price(m, t, p) {
      ev.count = 0;
      if (state[m] !== POS_OPEN) return 0;
      const code = priceExitCode(levels[m]!, p, t);
      if (code !== 0) exit(m, code, p, t);
      return ev.count;
    },
    forgetPosition(m) {
      if (state[m] === POS_PENDING) return dropPending(b, m), true;
      if (state[m] !== POS_OPEN && state[m] !== POS_EXITING) return false;
      forget(b, m);
      return true;
    },
    closeUpTo(t) {
      ev.count = 0;
      if (t >= nextBoundary) evaluate(Math.floor(t / interval) * interval);
      return ev.count;
    },
    enter(m, now) {
      ev.count = 0;
      if (enteredAt === evaluated) return refuse('one-per-close', `an entry was already made at the close ${evaluated}`);
      let k = 0;
      while (k < cand.count && cand.market[k] !== m) k++;
      if (k === cand.count) return refuse('not-a-candidate', `${names[m] ?? m} is not a candidate of the close ${evaluated}`);
      return tryEnter(m, now, cand.ratio[k]!);
    },
    confirmEntry(m, avgPrice, vol, fee, t) {
      if (state[m] !== POS_PENDING) return false;
      fillEntry(b, s, m, avgPrice, vol, fee, t);
      return true;
    },
    cancelEntry(m) {
      if (state[m] !== POS_PENDING) return false;
      dropPending(b, m);
      return true;
    },
    requestExit(m, price, t) {
      ev.count = 0;
      if (state[m] !== POS_OPEN) return false;
      exit(m, EXIT_MANUAL, price, t);
      return true;
    },
    confirmExit(m, avgPrice, fee, t) {
      if (state[m] !== POS_EXITING && state[m] !== POS_OPEN) return Number.NaN;
      return realise(b, m, state[m] === POS_EXITING ? b.exitCode[m]! : EXIT_MANUAL, avgPrice, fee, t);
    },
    cancelExit(m) {
      if (state[m] !== POS_EXITING) return false;
      state[m] = POS_OPEN;
      return true;
    },
    closeAll(t) {
      ev.count = 0;
      for (let m = 0; m < n; m++) {
        if (state[m] === POS_PENDING) dropPending(b, m);
        else if (state[m] === POS_OPEN) exit(m, EXIT_END_OF_DATA, lastClose[m]!, t);
      }
      return ev.count;
    },
    restorePosition(m, avgPrice, vol, fee, t, highPrice) {
      if (state[m] !== POS_NONE) return;
      addPending(b, m);
      fillEntry(b, s, m, avgPrice, vol, fee, t);
      b.cash += avgPrice * vol + fee;
      if (highPrice !== undefined && highPrice > avgPrice) levels[m]!.highPrice = highPrice;
    },
    restoreCooldown: (m, at) => void (lastStopAt[m] = at),
    restorePrevDayClose(m, close, now) {
      prevDay[m] = close;
      nextDay[m] = Math.floor(now / DAY_MS) * DAY_MS + DAY_MS;
    },
    restoreDay(pnl, now) {
      b.day = kstDayNumber(now);
      b.today = pnl;
    },
    setFlags(m, f) {
      flags[m] = f;
      flagged[m] = isFlagged(f) ? 1 : 0;
    },
    setFreeKrw: (krw) => void (b.cash = krw),
    marketIndex: (code) => index.get(code) ?? -1,
    position: (m) => snapshot(b, names, m),
    stats: () => ({
      freeKrw: b.cash - b.reserved,
      openPositions: b.openCount,
      pendingEntries: b.pendingCount,
      realisedPnlTodayKrw: b.today,
      realisedPnlTotalKrw: b.total,
      lateInputs: late,
    }),
    lastRefusal: () => refusal,
  };
}
