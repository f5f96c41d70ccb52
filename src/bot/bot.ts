// The bot's composition below main: state, outbox, executor, reconcile, strategy, trade cycle, market data, jobs.
import type { Adviser } from '../ai/adviser.ts';
import { sleep as realSleep, type Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import { createStrategy } from '../core/decide.ts';
import { toStrategySettings } from '../core/strategy.ts';
import { kstDayOf } from '../core/time.ts';
import type { MarketCode, MarketInfo } from '../core/types.ts';
import type { Db } from '../db/client.ts';
import { createAdviserDecisionsRepo } from '../db/repos/adviser-decisions.ts';
import { createBotStateRepo } from '../db/repos/bot-state.ts';
import { createDailyPnlRepo } from '../db/repos/daily-pnl.ts';
import { createEventsRepo } from '../db/repos/events.ts';
import { createOutboxRepo } from '../db/repos/outbox.ts';
import { LIVE_POSITION_STATES, listPositions } from '../db/repos/positions.ts';
import type { Exchange } from '../exchange/exchange.ts';
import type { MarketStream } from '../exchange/market-stream.ts';
import type { Logger } from '../log.ts';
import type { Notifier } from '../notify/notifier.ts';
import { createOutbox } from '../notify/outbox.ts';
import { createBotCommands } from './commands.ts';
import { createDayBook } from './day-book.ts';
import { createExecutor } from './executor.ts';
import { toBotEvents, toLogLine, type EntryContext } from './executor-events.ts';
import type { ExecutorEvent } from './executor-types.ts';
import { createMarketData, type MarketData } from './market-data.ts';
import { createMarketListSync } from './market-list-sync.ts';
import { createBotQueries } from './queries.ts';
import { createReconciler } from './reconcile.ts';
import { createRunGuarded } from './run-guarded.ts';
import { createBotState } from './state.ts';
import { createStrategySync } from './strategy-sync.ts';
import { createTradeCycle, type CloseOutcome, type TradeCycle } from './trade-cycle.ts';
import type { FeedState, TradingMode } from './view.ts';

export type BotDeps = {
  config: Config;
  mode: TradingMode;
  db: Db;
  exchange: Exchange;
  stream: MarketStream;
  clock: Clock;
  logger: Logger;
  random: () => number;
  adviser: Adviser;
  channels: Notifier[];
  /** Real-time sleep (retries of the first market load); injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
  /** Hook for benchmarks and tests: every evaluated close. */
  onClose?: (outcome: CloseOutcome) => void;
};

export function createBot(deps: BotDeps) {
  const { config, mode, db, exchange, clock, logger } = deps;
  const sleep = deps.sleep ?? realSleep;
  const events = createEventsRepo(db);
  const decisions = createAdviserDecisionsRepo(db);
  const dailyPnl = createDailyPnlRepo(db);
  const outbox = createOutbox({ db, outbox: createOutboxRepo(db), events, channels: deps.channels, locale: config.LOCALE, clock, logger });
  const botState = createBotState({ repo: createBotStateRepo(db), clock, publisher: outbox, mode, logger });
  const guarded = createRunGuarded({ logger, clock, botState, events });
  const prices = new Map<MarketCode, { price: number; time: number }>();
  const entryContexts = new Map<MarketCode, EntryContext>();
  const marketInfo = new Map<MarketCode, MarketInfo>();
  /** 24-hour KRW turnover by market from the latest universe ranking (the adviser's context). */
  let turnover24h: ReadonlyMap<MarketCode, number> = new Map();
  let cycle: TradeCycle | null = null;
  let marketData: MarketData | null = null;
  let feed: FeedState = { isUp: false, lastTickAt: null, reconnects: 0, detail: 'starting' };
  let isStopping = false;

  const publish = (e: Parameters<typeof outbox.publish>[0]) => outbox.publish(e).catch((err) => logger.error({ err }, 'publish failed'));

  function onExecutorEvent(e: ExecutorEvent): void {
    const line = toLogLine(e);
    logger[line.level]({ kind: line.kind, ...line.data }, line.message);
    const market = 'market' in e ? e.market : null;
    for (const be of toBotEvents(e, mode, market ? entryContexts.get(market) : undefined)) void publish(be);
    if (e.type === 'entry-filled' || e.type === 'entry-unfilled') entryContexts.delete(e.market);
    if (e.type === 'exit-filled') {
      void dailyPnl.recordTrade({ closedAt: e.at, pnlKrw: e.pnlKrw, feesKrw: e.feeKrw }).catch((err) => logger.error({ err }, 'daily book failed'));
    }
  }

  const executor = createExecutor({ db, exchange, clock, random: deps.random, onEvent: onExecutorEvent, sleep });
  const reconciler = createReconciler({ db, exchange, executor, onEvent: onExecutorEvent, clock });

  async function freeKrw(): Promise<number> {
    const krw = (await exchange.fetchBalances()).find((b) => b.currency === 'KRW');
    return krw?.free ?? 0;
  }

  const queries = createBotQueries({
    db, clock, mode,
    settings: { maxPositions: config.MAX_POSITIONS, dailyLossLimit: config.DAILY_LOSS_LIMIT, profitRate: config.PROFIT_RATE, lossRate: config.LOSS_RATE, trailingStop: config.TRAILING_STOP, locale: config.LOCALE },
    botState,
    prices: { last: (m) => prices.get(m) ?? null },
    balances: {
      krw: async () => {
        const b = (await exchange.fetchBalances().catch(() => null))?.find((x) => x.currency === 'KRW');
        return b ? { free: b.free, locked: b.locked } : null;
      },
    },
    // Live from market data once it runs (its last tick moves on every price; the onFeedChange copy does not).
    feed: () => marketData?.feed() ?? feed,
    exchangeHealth: () => exchange.health(),
    candles: async (market, unit, count) => exchange.fetchCandles({ market, unit: unit as 5, count }),
    adviser: { name: deps.adviser.name, isEnabled: deps.adviser.isRecorded, monthlyQuota: config.AI_MONTHLY_QUOTA },
    config: config as unknown as Record<string, unknown>,
  });
  const commands = createBotCommands({ db, botState, tradeCycle: () => cycle, logger });

  /** The full KRW market list, retried until the exchange answers (the process stays up meanwhile). */
  async function loadMarkets(): Promise<MarketInfo[]> {
    for (let attempt = 0; ; attempt++) {
      try {
        return (await exchange.listMarkets()).filter((m) => m.market.startsWith('KRW-'));
      } catch (err) {
        const waitMs = Math.min(60_000, 1_000 * 2 ** attempt);
        feed = { ...feed, isUp: false, detail: `exchange unreachable: ${(err as Error).message}` };
        logger.warn({ err, waitMs }, 'could not load the market list; retrying');
        if (isStopping) throw err;
        await sleep(waitMs);
      }
    }
  }

  async function startTrading(): Promise<void> {
    const markets = await loadMarkets();
    const strategy = createStrategy(toStrategySettings(config), { markets: markets.map((m) => m.market), fills: 'external', autoEnter: false, initialKrw: 0 });
    // Markets listed after start join the strategy when market data first ranks them (before their history arrives).
    const marketList = createMarketListSync({ strategy, exchange, marketInfo, logger });
    marketList.apply(markets);
    const sync = createStrategySync({ db, strategy, cooldownMinutes: config.COOLDOWN_MINUTES, hasSellInFlight: (m) => cycle?.hasExit(m) ?? false });
    await guarded.run('reconcile', () => reconciler.run());
    await sync.restore(clock.now());
    cycle = createTradeCycle({
      strategy, sync, executor, adviser: deps.adviser, isEntryAllowed: () => botState.isEntryAllowed(), publisher: outbox,
      clock, logger, mode, investmentKrw: config.INVESTMENT_AMOUNT, freeKrw, entryContexts,
      marketFacts: (m) => ({ cautions: marketInfo.get(m)?.cautions ?? [], turnover24hKrw: turnover24h.get(m) ?? 0 }),
      recordAdvice: ({ at, adviser, candidates, advice }) =>
        decisions.insert({ at, adviser, candidates, ...advice, pick: advice.pick ?? advice.market }),
      onDailyLimit: async (now) => {
        const day = kstDayOf(now);
        if (await dailyPnl.markLimitHit(day, now)) {
          const s = await queries.status();
          void publish({ type: 'daily-limit-hit', mode, at: now, day, realisedKrw: s.todayPnl, limitKrw: config.DAILY_LOSS_LIMIT });
        }
      },
    });
    const tc = cycle;
    marketData = createMarketData({
      exchange, stream: deps.stream, clock, logger, settings: { maxMarkets: config.MAX_MARKETS },
      onClosedCandle: (m, c) => tc.onClosedCandle(m, c),
      onHistory: (m, c, prev) => tc.onHistory(m, c, prev),
      onPrice: (m, price, time) => {
        prices.set(m, { price, time });
        tc.onPrice(m, price, time);
      },
      onUniverse: (u) => {
        turnover24h = u.turnover;
        void marketList.onUniverse(u.markets);
      },
      onFeedChange: (f) => {
        if (feed.isUp && !f.isUp) void publish({ type: 'feed-down', mode, at: clock.now(), detail: f.detail ?? 'disconnected' });
        feed = f;
      },
    });
    marketData.setHeldMarkets([...(await sync.livePositions()).keys()]);
    marketData.start();
    logger.info({ markets: markets.length, mode }, 'trading started');
  }

  let lastClosed = Number.NEGATIVE_INFINITY;
  /** Runs every second: evaluates a 5-minute close once its grace has passed (works on an accelerated clock too). */
  async function candleClose(): Promise<CloseOutcome | null> {
    if (!cycle || !marketData) return null;
    cycle.retryDueExits(clock.now());
    const boundary = marketData.dueBoundary(clock.now());
    if (!(boundary > lastClosed)) return null;
    lastClosed = boundary;
    const md = marketData;
    const tc = cycle;
    const r = await guarded.run('candle-close', async () => {
      await md.closeUpTo(boundary);
      return tc.evaluateClose(boundary);
    });
    if (r.kind !== 'ok') return null;
    if (r.value.result !== 'none') logger.info({ job: 'candle-close', ...r.value, candidates: r.value.candidates.length }, 'close evaluated');
    deps.onClose?.(r.value);
    return r.value;
  }

  async function reconcile() {
    const r = await guarded.run('reconcile', () => reconciler.run());
    marketData?.setHeldMarkets((await listPositions(db, LIVE_POSITION_STATES)).map((p) => p.market));
    return r.kind;
  }

  return {
    queries,
    commands,
    botState,
    outbox,
    executor,
    events,
    /** The day book of the 00:00 KST summary (see day-book.ts). */
    dailyPnl: createDayBook(db),
    feed: () => feed,
    tradeCycle: () => cycle,
    marketData: () => marketData,
    async start(): Promise<void> {
      await botState.load();
      void publish({ type: 'started', mode, at: clock.now() });
      void startTrading().catch((err) => logger.error({ err }, 'trading did not start'));
    },
    jobs: { candleClose, reconcile },
    async stop(reason: string): Promise<void> {
      isStopping = true;
      await marketData?.stop();
      await cycle?.settle();
      const isDrained = await executor.drain(10_000);
      if (!isDrained) logger.warn('orders still in flight at shutdown; reconcile resolves them at the next start');
      await publish({ type: 'stopped', mode, at: clock.now(), reason });
      await outbox.dispatchDue().catch(() => undefined);
    },
  };
}

export type Bot = ReturnType<typeof createBot>;
