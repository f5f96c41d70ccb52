// Market data for the bot: universe, REST history at start, socket prices and 5-minute closes, REST fallback while down.
import type { Clock } from '../clock.ts';
import type { Candle, MarketCode, Ticker } from '../core/types.ts';
import type { MarketStream, MarketStreamState } from '../exchange/market-stream.ts';
import { silentLogger, type Logger } from '../log.ts';
import { bucketStart, createCandleBook, createCoverage } from './candle-book.ts';
import { closeBuckets, DEFAULT_MAX_REPAIRS, emptyReport, type CloseReport } from './market-close.ts';
import { abortableSleep, createRestCounter, fetchLastCandles, forEachMarket, type MarketRest } from './market-rest.ts';
import { fetchUniverse, isSameSet, type ListingState, type Universe } from './universe.ts';
import type { FeedState } from './view.ts';

export type { CloseReport };

export type MarketDataSettings = {
  /** Top N markets by 24-hour turnover; null = every eligible market. */
  maxMarkets: number | null;
  /** Closed 5-minute candles fetched per market at start (spike rule: 4 previous + current). Default 5. */
  historyCandles?: number;
  /** How long after a boundary a close is final; the caller waits this long before closeUpTo. Default 2,000 ms. */
  closeGraceMs?: number;
  /** The socket must stay up this long past a boundary for its candle to be trusted. Default 1,500 ms. */
  settleMs?: number;
  /** Real ms between REST ticker polls while the socket is down. Default 3,000. */
  pollIntervalMs?: number;
  /** Real ms between universe refreshes; 0 = only refreshUniverse(). Default 600,000. */
  universeRefreshMs?: number;
  /** Candle requests in flight at once (the REST client's limiter paces them). Default 3. */
  concurrency?: number;
  /** Stale-looking socket candles refetched by REST per close at most. Default DEFAULT_MAX_REPAIRS (8). */
  maxRepairsPerClose?: number;
  /** closeUpTo waits at most this long (real ms) for a history fetch still running. Default 30,000. */
  backfillWaitMs?: number;
  /** Retry pause (real ms) after a failed universe load, doubling up to 60 s. Default 1,000. */
  retryBaseMs?: number;
};

export type BackfillProgress = { done: number; total: number; failed: number };

export type MarketDataStats = {
  restCalls: number;
  restCallsByKind: Record<'markets' | 'tickers' | 'candles', number>;
  /** REST calls started in the last minute of the clock (goal: well under 60 with the socket up). */
  restCallsPerMinute: number;
  fallbackPolls: number;
  backfill: BackfillProgress;
  lastClose: CloseReport | null;
  lateCandles: number;
};

export type MarketDataDeps = {
  exchange: MarketRest;
  stream: MarketStream;
  clock: Clock;
  /** Real-time pause for the poll loop and retries; must return early when `signal` aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  logger?: Logger;
  settings: MarketDataSettings;
  /** A closed 5-minute candle: once per market per bucket, bucket by bucket, market code ascending. */
  onClosedCandle(market: MarketCode, candle: Candle): void;
  onPrice(market: MarketCode, price: number, time: number): void;
  /** History before the first live close of a market: closed candles oldest first and the previous UTC-day close. */
  onHistory?(market: MarketCode, candles: Candle[], prevDayClose: number | null): void;
  onFeedChange?(feed: FeedState): void;
  onUniverse?(universe: Universe): void;
};

export type Quote = { price: number; time: number; prevDayClose: number | null };

export type MarketData = {
  /** Non-blocking: the socket starts at once; the universe and history load in the background (retried). */
  start(): void;
  /** Resolves when the first universe is loaded and its history fetched. */
  ready(): Promise<void>;
  stop(): Promise<void>;
  /** Delivers the closes of every bucket ending in (last close, boundary]; call it closeGraceMs after the boundary. */
  closeUpTo(boundary: number): Promise<CloseReport>;
  /** The latest boundary whose grace has passed at `now`. */
  dueBoundary(now: number): number;
  refreshUniverse(): Promise<Universe>;
  /** Markets the bot holds: always priced, even when they leave the universe. */
  setHeldMarkets(markets: readonly MarketCode[]): void;
  feed(): FeedState;
  universe(): readonly MarketCode[];
  quote(market: MarketCode): Quote | null;
  stats(): MarketDataStats;
};

export function createMarketData(deps: MarketDataDeps): MarketData {
  const { stream, clock } = deps;
  const log = deps.logger ?? silentLogger;
  const sleep = deps.sleep ?? abortableSleep;
  const s = deps.settings;
  const [historyCandles, graceMs, settleMs] = [s.historyCandles ?? 5, s.closeGraceMs ?? 2_000, s.settleMs ?? 1_500];
  const [pollMs, refreshMs, concurrency] = [s.pollIntervalMs ?? 3_000, s.universeRefreshMs ?? 600_000, s.concurrency ?? 3];
  const counter = createRestCounter(deps.exchange, clock);
  const rest = counter.exchange;
  const book = createCandleBook();
  const coverage = createCoverage();
  const quotes = new Map<MarketCode, Quote>();
  const listings = new Map<MarketCode, ListingState>();
  const liveStarted = new Set<MarketCode>();
  let ranked: MarketCode[] = [];
  let held: MarketCode[] = [];
  let lastClosed = bucketStart(clock.now());
  let streamState: MarketStreamState = stream.state();
  let lastTickAt: number | null = null;
  let lastFeed: FeedState | null = null;
  let backfill: Promise<void> = Promise.resolve();
  let closing: Promise<unknown> = Promise.resolve();
  const progress: BackfillProgress = { done: 0, total: 0, failed: 0 };
  let [fallbackPolls, lateCandles, lastClose] = [0, 0, null as CloseReport | null];
  let ctl = new AbortController();
  let loops: Promise<void>[] = [];
  let readyResolve!: () => void;
  const readyPromise = new Promise<void>((r) => (readyResolve = r));

  function feed(): FeedState {
    const isUp = streamState.isUp;
    const loading = progress.done + progress.failed < progress.total ? `; history ${progress.done}/${progress.total}` : '';
    const refused = streamState.lastRefusal ? `; subscription refused: ${streamState.lastRefusal}` : '';
    const detail = isUp ? `socket up, ${ranked.length} markets${loading}${refused}` : `socket down (${streamState.detail ?? 'not connected'}); REST polling${loading}${refused}`;
    return { isUp, lastTickAt, reconnects: Math.max(0, streamState.connects - 1), detail };
  }
  function emitFeed() {
    const f = feed();
    if (lastFeed && f.isUp === lastFeed.isUp && f.detail === lastFeed.detail && f.reconnects === lastFeed.reconnects) return;
    lastFeed = f;
    deps.onFeedChange?.(f);
  }

  function onPriceUpdate(t: Pick<Ticker, 'market' | 'price' | 'tradeTime' | 'prevClose'>) {
    const prev = quotes.get(t.market);
    if (prev && t.tradeTime < prev.time) return;
    quotes.set(t.market, { price: t.price, time: t.tradeTime, prevDayClose: Number.isFinite(t.prevClose) ? t.prevClose : (prev?.prevDayClose ?? null) });
    lastTickAt = clock.now();
    book.putTick(t.market, t.price, t.tradeTime);
    if (prev && prev.time === t.tradeTime && prev.price === t.price) return;
    deps.onPrice(t.market, t.price, t.tradeTime);
  }

  const handlers = {
    onTicker(t: Ticker) {
      if (t.marketState !== undefined || t.delistingDate) listings.set(t.market, { marketState: t.marketState, delistingDate: t.delistingDate ?? null });
      if (!coverage.isOpen() && streamState.isUp) coverage.opened(clock.now());
      onPriceUpdate(t);
    },
    onCandle5m(c: Candle) {
      if (!coverage.isOpen() && streamState.isUp) coverage.opened(clock.now());
      if (!book.putCandle(c)) lateCandles++;
    },
    onState(state: MarketStreamState) {
      if (!state.isUp && streamState.isUp) coverage.closed(clock.now());
      streamState = state;
      emitFeed();
    },
  };

  function applySubscription() {
    const prices = [...new Set([...ranked, ...held])];
    coverage.subscribed(ranked, clock.now());
    stream.subscribe({ prices, candles5m: ranked });
  }

  async function fetchHistory(markets: MarketCode[], to: number) {
    progress.total += markets.length;
    emitFeed();
    const result = await forEachMarket(markets, concurrency, (m) => fetchLastCandles(rest, m, to, historyCandles), (m, candles) => {
      progress.done++;
      if (liveStarted.has(m)) return log.warn({ market: m }, 'history arrived after the first live close; dropped');
      deps.onHistory?.(m, candles, quotes.get(m)?.prevDayClose ?? null);
    }, ctl.signal);
    progress.failed += result.failed.size;
    for (const [market, err] of result.failed) log.warn({ market, err }, 'could not fetch 5-minute history');
    log.info({ markets: markets.length, failed: result.failed.size, to }, 'market history fetched');
    emitFeed();
  }

  async function refreshUniverse(): Promise<Universe> {
    const { universe, tickers } = await fetchUniverse(rest, listings, { maxMarkets: s.maxMarkets });
    const added = universe.markets.filter((m) => !ranked.includes(m));
    const changed = !isSameSet(ranked, universe.markets);
    ranked = universe.markets;
    if (changed) applySubscription();
    const priced = new Set([...ranked, ...held]);
    for (const t of tickers) if (priced.has(t.market)) onPriceUpdate(t);
    deps.onUniverse?.(universe); // before the backfill is scheduled: new markets are known before their history arrives
    if (added.length > 0) {
      const to = lastClosed;
      backfill = backfill.then(() => fetchHistory(added, to));
    }
    log.info({ markets: ranked.length, added: added.length, excluded: universe.excluded.length, cut: universe.cut }, 'universe refreshed');
    emitFeed();
    return universe;
  }

  async function boot() {
    for (let attempt = 0; !ctl.signal.aborted; attempt++) {
      try {
        await refreshUniverse();
        await backfill;
        return readyResolve();
      } catch (err) {
        const waitMs = Math.min(60_000, (s.retryBaseMs ?? 1_000) * 2 ** Math.min(attempt, 10));
        log.warn({ err, attempt, waitMs }, 'could not load the market universe; retrying');
        await sleep(waitMs, ctl.signal);
      }
    }
  }

  async function refreshLoop() {
    while (refreshMs > 0 && !ctl.signal.aborted) {
      await sleep(refreshMs, ctl.signal);
      if (ctl.signal.aborted || ranked.length === 0) continue;
      await refreshUniverse().catch((err) => log.warn({ err }, 'universe refresh failed; keeping the current one'));
    }
  }

  /** REST tickers while the socket is down (two checks in a row), stopped as soon as it is back. */
  async function pollLoop() {
    let wasDown = false;
    while (!ctl.signal.aborted) {
      await sleep(pollMs, ctl.signal);
      const isDown = !streamState.isUp;
      const markets = [...new Set([...ranked, ...held])];
      if (isDown && wasDown && markets.length > 0 && !ctl.signal.aborted) {
        fallbackPolls++;
        try {
          for (const t of await rest.fetchTickers(markets)) onPriceUpdate(t);
        } catch (err) {
          log.warn({ err }, 'REST fallback ticker poll failed');
        }
      }
      wasDown = isDown;
    }
  }

  async function waitForBackfill() {
    const timeout = new AbortController();
    await Promise.race([backfill, sleep(s.backfillWaitMs ?? 30_000, timeout.signal)]);
    timeout.abort();
  }

  async function doClose(boundary: number): Promise<CloseReport> {
    const end = bucketStart(boundary);
    await waitForBackfill();
    if (end <= lastClosed) return emptyReport(lastClosed, ranked.length);
    const closeDeps = { rest, book, coverage, settleMs, concurrency, maxRepairs: s.maxRepairsPerClose ?? DEFAULT_MAX_REPAIRS, signal: ctl.signal };
    const { candles, report } = await closeBuckets(closeDeps, ranked, lastClosed, end);
    lastClosed = end;
    for (const m of ranked) liveStarted.add(m);
    for (const { market, candle } of candles) {
      try {
        deps.onClosedCandle(market, candle);
      } catch (err) {
        log.error({ err, market }, 'onClosedCandle threw');
      }
    }
    if (report.failed.length > 0) log.warn({ boundary: end, failed: report.failed.length }, 'some closed candles could not be fetched');
    log.info({ boundary: end, delivered: report.delivered, fromSocket: report.fromSocket, fromRest: report.fromRest, repaired: report.repaired.length }, 'candles closed');
    return (lastClose = report);
  }

  return {
    start() {
      if (loops.length > 0) return;
      ctl = new AbortController();
      lastClosed = Math.max(lastClosed, bucketStart(clock.now()));
      stream.start(handlers);
      applySubscription();
      loops = [boot(), refreshLoop(), pollLoop()];
    },
    ready: () => readyPromise,
    async stop() {
      ctl.abort();
      await stream.stop();
      await Promise.allSettled([...loops, backfill, closing]);
      loops = [];
    },
    closeUpTo(boundary) {
      const run = closing.then(() => doClose(boundary));
      closing = run.catch(() => undefined);
      return run;
    },
    dueBoundary: (now) => bucketStart(now - graceMs),
    refreshUniverse,
    setHeldMarkets(markets) {
      const next = [...new Set(markets)].sort();
      if (next.join() === held.join()) return;
      held = next;
      if (loops.length > 0) applySubscription();
    },
    feed,
    universe: () => ranked,
    quote: (m) => quotes.get(m) ?? null,
    stats: () => ({
      restCalls: counter.total(), restCallsByKind: counter.byKind(), restCallsPerMinute: counter.perMinute(),
      fallbackPolls, backfill: { ...progress }, lastClose, lateCandles,
    }),
  };
}

