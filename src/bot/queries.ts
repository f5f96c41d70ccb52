// The dashboard's read models over the db plus the bot's live sources (prices, balance, feed, exchange health).
import { kstMonthRange } from '../ai/quota.ts';
import type { Clock } from '../clock.ts';
import { SECRET_VARS } from '../config.ts';
import { DAY_MS, kstDayOf, kstDayStart } from '../core/time.ts';
import type { MarketCode } from '../core/types.ts';
import type { Db } from '../db/client.ts';
import { createAdviserDecisionsRepo } from '../db/repos/adviser-decisions.ts';
import { createEventsRepo } from '../db/repos/events.ts';
import { LIVE_POSITION_STATES, listPositions } from '../db/repos/positions.ts';
import type { ExchangeHealth } from '../exchange/exchange.ts';
import { scrubSecrets } from '../log.ts';
import { chartCandles, chartMarkets, fillsBetween, CHART_UNIT_MINUTES, type CandleSource } from './queries-chart.ts';
import { createMemo } from './queries-memo.ts';
import { heldValue, levelsOf, toPositionView, type LevelSettings } from './queries-positions.ts';
import { dailyPnl, pnlCurve, realisedBetween, tradesPage, tradeStats, winStats } from './queries-trades.ts';
import type { BotState } from './state.ts';
import type {
  AdviserQuotaView, BotStatus, ChartView, DashboardQueries, FeedState, SettingView, TradeFilter, TradingMode,
} from './view.ts';

type MaybePromise<T> = T | Promise<T>;

export type QuerySettings = LevelSettings & {
  maxPositions: number;
  /** Negative KRW (−50,000): no entries while today's realised PnL ≤ this. */
  dailyLossLimit: number;
  locale?: 'ko' | 'en';
};

/** KRW on the account: a plain number (free + locked) or both parts; null while unknown. */
export type KrwBalance = number | { free: number; locked: number } | null;

export type BotQueriesDeps = {
  db: Db;
  clock: Clock;
  mode: TradingMode;
  settings: QuerySettings;
  botState: Pick<BotState, 'current' | 'lastHeartbeat'>;
  /** The live price cache the trade cycle fills. */
  prices: { last(market: MarketCode): { price: number; time: number } | null };
  balances: { krw(): MaybePromise<KrwBalance> };
  feed: () => FeedState;
  exchangeHealth: () => Pick<ExchangeHealth, 'isDegraded' | 'reason'>;
  /** Chart candles; without it charts show fills and levels only. */
  candles?: CandleSource;
  /** The adviser for the quota card (default: the rule-based top-candidate adviser, off). */
  adviser?: { name: string; isEnabled: boolean; monthlyQuota: number };
  /** Overrides the quota count read from the db (e.g. the adviser's own MonthlyQuota). */
  adviserQuota?: () => MaybePromise<{ used: number; limit: number }>;
  /** The effective configuration for the settings panel (src/config.ts Config); secrets are never copied out. */
  config?: Readonly<Record<string, unknown>>;
  /** How long a db read is shared among pollers, by `clock` (default 1,000 ms; 0 shares only reads in flight). */
  cacheMs?: number;
};

export const DEFAULT_CACHE_MS = 1_000;

const SECRET_SET = '(set)';

/** Config → rows for the settings panel; a secret's value is null when unset and a placeholder when set. */
export function settingViews(config: Readonly<Record<string, unknown>>): SettingView[] {
  return Object.entries(config).map(([key, v]) => {
    const isSecret = (SECRET_VARS as readonly string[]).includes(key);
    const isUnset = v === null || v === undefined || v === '';
    if (isSecret) return { key, value: isUnset ? null : SECRET_SET, isSecret };
    return { key, value: isUnset ? null : typeof v === 'object' ? JSON.stringify(v) : String(v), isSecret };
  });
}

export function createBotQueries(deps: BotQueriesDeps): DashboardQueries {
  const { db, clock, settings: s } = deps;
  const events = createEventsRepo(db);
  const decisions = createAdviserDecisionsRepo(db);
  const memo = createMemo(clock, deps.cacheMs ?? DEFAULT_CACHE_MS);
  const liveRows = () => memo.get('live', () => listPositions(db, LIVE_POSITION_STATES));
  const filterKey = (q: TradeFilter) => `${q.market ?? ''}|${q.result ?? ''}`;
  const priceOf = (m: MarketCode) => deps.prices.last(m)?.price ?? null;
  let lastKrw = 0; // shown while the balance is unknown (e.g. the exchange is down)

  /** Shared like a db read: a live balance source may be a REST call against the exchange's rate limit. */
  async function krw(): Promise<number> {
    const b = await memo.get('krw', async () => deps.balances.krw());
    if (b !== null) lastKrw = typeof b === 'number' ? b : b.free + b.locked;
    return lastKrw;
  }

  async function status(): Promise<BotStatus> {
    const now = clock.now();
    const run = deps.botState.current();
    const dayStart = kstDayStart(kstDayOf(now));
    const [live, todayPnl, wins, heartbeat, cash] = await Promise.all([
      liveRows(),
      memo.get(`today:${dayStart}`, () => realisedBetween(db, dayStart, dayStart + DAY_MS)),
      memo.get('wins', () => winStats(db)),
      memo.get('heartbeat', () => deps.botState.lastHeartbeat()),
      krw(),
    ]);
    const held = live.reduce((sum, p) => sum + heldValue(p, priceOf(p.market)), 0);
    const health = deps.exchangeHealth();
    return {
      mode: deps.mode,
      state: run.state,
      // A halt's detail quotes an error, which may carry a token (a libSQL ?authToken=, a Bearer header): masked as in the log.
      stateReason: run.reason === null ? null : scrubSecrets(run.reason),
      stateSince: run.since,
      krw: cash,
      equity: cash + held,
      todayPnl,
      dailyLossLimit: s.dailyLossLimit,
      isDailyLimitHit: todayPnl <= s.dailyLossLimit,
      openPositions: live.length,
      maxPositions: s.maxPositions,
      winRate: wins.count > 0 ? wins.wins / wins.count : null,
      tradeCount: wins.count,
      feed: deps.feed(),
      exchange: { isDegraded: health.isDegraded, reason: health.reason === null ? null : scrubSecrets(health.reason) },
      lastHeartbeatAt: heartbeat,
      now,
    };
  }

  async function adviserQuota(): Promise<AdviserQuotaView> {
    const a = deps.adviser ?? { name: 'top-candidate', isEnabled: false, monthlyQuota: 0 };
    if (deps.adviserQuota) {
      const q = await deps.adviserQuota();
      return { adviser: a.name, isEnabled: a.isEnabled, usedThisMonth: q.used, monthlyQuota: q.limit };
    }
    const { from, to, key } = kstMonthRange(clock.now());
    const used = await memo.get(`quota:${a.name}:${key}`, () => decisions.countRequests({ adviser: a.name, from, to }));
    return { adviser: a.name, isEnabled: a.isEnabled, usedThisMonth: used, monthlyQuota: a.monthlyQuota };
  }

  async function chart(market: MarketCode, limit: number): Promise<ChartView> {
    const [candles, live] = await Promise.all([chartCandles(deps.candles, market, limit), liveRows()]);
    const position = live.find((p) => p.market === market) ?? null;
    const levels = position ? levelsOf(position, s) : null;
    const first = candles[0];
    const last = candles.at(-1);
    const fills = first && last ? await fillsBetween(db, market, first.openTime, last.openTime + CHART_UNIT_MINUTES * 60_000) : [];
    return {
      market,
      candles,
      fills,
      entryPrice: position?.entryPrice ?? null,
      takeProfitPrice: levels?.takeProfitPrice ?? null,
      stopLossPrice: levels?.stopLossPrice ?? null,
    };
  }

  return {
    status,
    async positions() {
      const live = await liveRows();
      return live.map((p) => toPositionView(p, priceOf(p.market), s));
    },
    trades: (q) => memo.get(`trades:${filterKey(q)}:${q.limit}:${q.offset}`, () => tradesPage(db, q)),
    adviserDecisions: (q) => memo.get(`decisions:${q.limit}:${q.offset}`, () => decisions.listRecent(q)),
    events: (q) => memo.get(`events:${q.minLevel ?? ''}:${q.limit}:${q.offset}`, () => events.list(q)),
    chart: (market, q) => memo.get(`chart:${market}:${q.limit}`, () => chart(market, q.limit)),
    chartMarkets: () => memo.get('chartMarkets', () => chartMarkets(db)),
    tradeStats: (q) => memo.get(`stats:${filterKey(q)}`, () => tradeStats(db, q)),
    dailyPnl: (days) => {
      const now = clock.now();
      return memo.get(`daily:${days}:${kstDayOf(now)}`, () => dailyPnl(db, now, days));
    },
    pnlCurve: (q) => memo.get(`curve:${q.limit}`, () => pnlCurve(db, q.limit)),
    adviserQuota,
    async settings() {
      if (deps.config) return settingViews(deps.config);
      return settingViews({
        TRADING_MODE: deps.mode, MAX_POSITIONS: s.maxPositions, DAILY_LOSS_LIMIT: s.dailyLossLimit,
        PROFIT_RATE: s.profitRate, LOSS_RATE: s.lossRate, TRAILING_STOP: s.trailingStop,
      });
    },
  };
}
