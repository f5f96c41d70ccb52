// The live trade cycle: feeds market data to the strategy, enters at each 5-minute close, exits on every price.
import type { Adviser, Candidate } from '../ai/adviser.ts';
import type { Clock } from '../clock.ts';
import { EV_CANDIDATES, EV_EXIT, readCandidates } from '../core/decide-events.ts';
import { EXIT_REASONS } from '../core/exit-rules.ts';
import type { Strategy } from '../core/strategy.ts';
import type { Candle, MarketCode, Signal } from '../core/types.ts';
import { rootErrorText } from '../error-text.ts';
import type { Logger } from '../log.ts';
import type { EventPublisher } from '../notify/notifier.ts';
import type { TradingMode } from './view.ts';
import type { Executor } from './executor.ts';
import type { CloseReason } from './executor-types.ts';
import type { EntryContext } from './executor-events.ts';
import { createExitAlerts } from './exit-alerts.ts';
import { createRecentCandles } from './recent-candles.ts';
import { createHighSaver, HIGH_SAVE_WINDOW_MS, type StrategySync } from './strategy-sync.ts';

export type TradeCycleDeps = {
  strategy: Strategy;
  sync: StrategySync;
  executor: Executor;
  adviser: Adviser;
  isEntryAllowed(): boolean;
  publisher: EventPublisher;
  clock: Clock;
  logger: Logger;
  mode: TradingMode;
  investmentKrw: number;
  /** Free KRW at the exchange (paper: the paper account). */
  freeKrw(): Promise<number>;
  /** Extra facts about a market for the adviser (caution flags, 24-hour turnover). */
  marketFacts(market: MarketCode): { cautions: string[]; turnover24hKrw: number };
  /** Stores an adviser round; returns its id (only rounds the adviser wants recorded). */
  recordAdvice(round: { at: number; adviser: string; candidates: Candidate[]; advice: Awaited<ReturnType<Adviser['advise']>> }): Promise<number | null>;
  /** Called once per KST day when an entry is refused by the daily loss limit. */
  onDailyLimit(now: number): Promise<void>;
  /** Remembered until the entry's fill is notified. */
  entryContexts: Map<MarketCode, EntryContext>;
  /** Pause after a sell that did not go through before the exit is tried again. */
  exitRetryMs?: number;
  /** At most one write of a position's trailing high per this window (default HIGH_SAVE_WINDOW_MS). */
  highSaveMs?: number;
};

export type CloseOutcome = {
  boundary: number;
  candidates: Signal[];
  pick: MarketCode | null;
  /** What happened to the pick: entered, refused by a rule, skipped (paused / adviser), or no candidate. */
  result: 'entered' | 'pending' | 'not-opened' | 'refused' | 'skipped' | 'none';
  detail: string | null;
  /** Signal to order acknowledged, ms of the bot's clock. */
  orderLatencyMs: number | null;
};

export function createTradeCycle(deps: TradeCycleDeps) {
  const { strategy, executor, clock, logger } = deps;
  const names = strategy.markets;
  const recent = createRecentCandles(12);
  const lastPrice = new Map<MarketCode, { price: number; time: number }>();
  const exits = new Map<MarketCode, Promise<void>>();
  const exitRetryAt = new Map<MarketCode, number>();
  const retryMs = deps.exitRetryMs ?? 30_000;
  const alerts = createExitAlerts({ clock, publisher: deps.publisher, mode: deps.mode, retryMs });
  const highs = createHighSaver({
    idOf: (market) => deps.sync.positionIdOf(market),
    save: (id, price) => deps.sync.saveHigh(id, price),
    windowMs: deps.highSaveMs ?? HIGH_SAVE_WINDOW_MS,
    onError: (err, positionId) => logger.error({ err, positionId }, 'trailing high not saved'),
  });

  /** History waits here until the next close: the strategy runs one clock across markets, so it takes candles in time order. */
  const pendingHistory: { market: MarketCode; candles: Candle[]; prevDayClose: number | null }[] = [];

  function onHistory(market: MarketCode, candles: Candle[], prevDayClose: number | null): void {
    if (strategy.marketIndex(market) >= 0) pendingHistory.push({ market, candles, prevDayClose });
  }

  /** Feeds the waiting history of every market merged by time (market by market, later markets' candles were dropped as late). */
  function flushHistory(): void {
    if (pendingHistory.length === 0) return;
    const batch = pendingHistory.splice(0);
    const merged = batch.flatMap((h) => h.candles.map((c) => ({ market: h.market, c })));
    merged.sort((a, b) => a.c.openTime - b.c.openTime || (a.market < b.market ? -1 : a.market > b.market ? 1 : 0));
    for (const { market, c } of merged) feedCandle(market, c);
    for (const h of batch) {
      if (h.prevDayClose !== null && h.prevDayClose > 0) strategy.restorePrevDayClose(strategy.marketIndex(h.market), h.prevDayClose, clock.now());
    }
  }

  function onClosedCandle(market: MarketCode, c: Candle): void {
    flushHistory();
    feedCandle(market, c);
  }

  function feedCandle(market: MarketCode, c: Candle): void {
    const m = strategy.marketIndex(market);
    if (m < 0) return;
    strategy.candle(m, c.openTime, c.open, c.high, c.low, c.close, c.volume);
    recent.push(market, c);
  }

  /** Every price update: the exit rules of an open position, and a retry of a sell that failed earlier. */
  function onPrice(market: MarketCode, price: number, time: number): void {
    lastPrice.set(market, { price, time });
    const m = strategy.marketIndex(market);
    if (m < 0) return;
    const retryAt = exitRetryAt.get(market);
    if (retryAt !== undefined && time >= retryAt && !exits.has(market)) releaseRetry(market, m);
    evaluateExit(m, market, price, time);
  }

  /**
   * Every second (the close job): an exit whose retry pause is over is tried again at the last price,
   * so a sell that failed is retried even when the price no longer moves (no ticks come then). Trailing
   * highs that waited out their write window are saved.
   */
  function retryDueExits(now: number): void {
    highs.flush(now);
    for (const [market, at] of exitRetryAt) {
      if (now < at || exits.has(market)) continue;
      const m = strategy.marketIndex(market);
      if (m < 0) {
        exitRetryAt.delete(market);
        continue;
      }
      releaseRetry(market, m);
      const quote = lastPrice.get(market);
      if (quote) evaluateExit(m, market, quote.price, quote.time);
    }
  }

  function releaseRetry(market: MarketCode, m: number): void {
    exitRetryAt.delete(market);
    strategy.cancelExit(m);
  }

  function evaluateExit(m: number, market: MarketCode, price: number, time: number): void {
    if (strategy.price(m, time, price) === 0) {
      // A held position's high is now this price (NaN when none is held): the db keeps it for a restart.
      if (strategy.highPrice(m) === price) highs.note(market, price, clock.now());
      return;
    }
    const ev = strategy.events;
    for (let i = 0; i < ev.count; i++) {
      if (ev.kind[i] === EV_EXIT) launchExit(market, EXIT_REASONS[ev.reason[i]!] ?? 'manual');
    }
  }

  function launchExit(market: MarketCode, reason: CloseReason): Promise<void> {
    const running = exits.get(market);
    if (running) return running;
    const run = (async () => {
      const live = (await deps.sync.livePositions()).get(market);
      if (live?.state !== 'open') return alerts.ended(market);
      const r = await executor.closePosition(live.id, reason);
      logger.info({ market, reason, status: r.status }, 'exit');
      if (r.status === 'partial') exitRetryAt.set(market, clock.now() + retryMs);
      // A sell refused during a rate-limit block is tried again when the block ends, not after the usual pause.
      else if (r.status === 'not-closed') await retryLater(market, reason, `nothing sold (${r.error ?? r.cause})`, r.retryAfterMs);
      else alerts.ended(market);
    })()
      .catch(async (err) => {
        logger.error({ err, market, reason }, 'exit failed');
        await retryLater(market, reason, rootErrorText(err));
      })
      .finally(async () => {
        exits.delete(market);
        await deps.sync.syncMarkets([market], clock.now()).catch((err) => logger.error({ err, market }, 'sync after exit failed'));
      });
    exits.set(market, run);
    return run;
  }

  async function retryLater(market: MarketCode, reason: CloseReason, detail: string, waitMs = retryMs): Promise<void> {
    exitRetryAt.set(market, clock.now() + waitMs);
    await alerts.failed(market, reason, detail, waitMs);
  }

  function toCandidate(s: Signal): Candidate {
    const facts = deps.marketFacts(s.market);
    const candles = recent.get(s.market);
    const last = candles[candles.length - 1];
    return {
      market: s.market,
      volumeRatio: s.volumeRatio,
      price: s.close,
      change5m: last && last.open > 0 ? last.close / last.open - 1 : 0,
      change24h: s.prevDayClose > 0 ? s.close / s.prevDayClose - 1 : 0,
      turnover24hKrw: facts.turnover24hKrw,
      cautions: facts.cautions,
      recentCandles: candles,
    };
  }

  /** Evaluates the close at `boundary` (its candles already fed) and makes at most one entry. */
  async function evaluateClose(boundary: number): Promise<CloseOutcome> {
    const outcome: CloseOutcome = { boundary, candidates: [], pick: null, result: 'none', detail: null, orderLatencyMs: null };
    flushHistory();
    await deps.sync.syncMarkets(names, clock.now());
    // Evaluated first, whatever happens next: a close is never carried over to a later boundary.
    const count = strategy.closeUpTo(boundary);
    let hasCandidates = false;
    for (let i = 0; i < count; i++) if (strategy.events.kind[i] === EV_CANDIDATES) hasCandidates = true;
    if (!hasCandidates) return outcome;
    outcome.candidates = readCandidates(strategy.candidates, names);
    if (!deps.isEntryAllowed()) return { ...outcome, result: 'skipped', detail: 'entries are paused' };
    strategy.setFreeKrw(await deps.freeKrw());
    const candidates = outcome.candidates.map(toCandidate);
    const advice = await deps.adviser.advise(candidates, boundary);
    const decisionId = deps.adviser.isRecorded
      ? await deps.recordAdvice({ at: boundary, adviser: deps.adviser.name, candidates, advice }).catch(() => null)
      : null;
    if (advice.action !== 'pick' || !advice.market) return { ...outcome, result: 'skipped', detail: advice.outcomeReason };
    outcome.pick = advice.market;
    const m = strategy.marketIndex(advice.market);
    const verdict = strategy.enter(m, clock.now());
    if (!verdict.ok) {
      if (verdict.rule === 'daily-loss') await deps.onDailyLimit(clock.now());
      return { ...outcome, result: 'refused', detail: verdict.reason };
    }
    const signal = outcome.candidates.find((c) => c.market === advice.market);
    deps.entryContexts.set(advice.market, {
      reason: 'signal',
      signalRatio: signal?.volumeRatio ?? null,
      adviser: deps.adviser.isRecorded ? { name: deps.adviser.name, pick: advice.market, confidence: advice.confidence } : null,
    });
    const startedAt = clock.now();
    const r = await executor.openPosition({
      market: advice.market, amountKrw: deps.investmentKrw, signalRatio: signal?.volumeRatio ?? null, adviserDecisionId: decisionId,
    });
    outcome.orderLatencyMs = clock.now() - startedAt;
    await deps.sync.syncMarkets([advice.market], clock.now());
    if (r.status === 'opened') return { ...outcome, result: 'entered' };
    if (r.status === 'pending') return { ...outcome, result: 'pending', detail: 'order outcome unknown; reconcile resolves it' };
    deps.entryContexts.delete(advice.market);
    return { ...outcome, result: 'not-opened', detail: r.status === 'not-opened' ? r.cause : r.status };
  }

  /** An owner's sell: the same order lifecycle as a strategy exit. */
  async function sellMarket(market: MarketCode, reason: CloseReason): Promise<boolean> {
    const m = strategy.marketIndex(market);
    const quote = lastPrice.get(market);
    if (m >= 0) strategy.requestExit(m, quote?.price ?? Number.NaN, clock.now());
    await launchExit(market, reason);
    return !(await deps.sync.livePositions()).has(market);
  }

  return {
    onHistory,
    onClosedCandle,
    onPrice,
    evaluateClose,
    sellMarket,
    lastPrice: (market: MarketCode) => lastPrice.get(market) ?? null,
    exitsInFlight: () => exits.size,
    retryDueExits,
    /** A sell runs, or waits out its retry pause (the strategy must keep the exit until then). */
    hasExit: (market: MarketCode) => exits.has(market) || exitRetryAt.has(market),
    /** Waits for running exits and saves the waiting trailing highs (shutdown). */
    settle: () => Promise.allSettled([...exits.values(), highs.flushAll(clock.now())]),
  };
}

export type TradeCycle = ReturnType<typeof createTradeCycle>;
