// CoinButler's operating metrics: pushed (job runs, adviser rounds) and read at each scrape (status, orders, REST stats).
import { count } from 'drizzle-orm';
import type { Adviser } from './ai/adviser.ts';
import type { BotStatus, RunState, TradingMode } from './bot/view.ts';
import type { Db } from './db/client.ts';
import { orders } from './db/schema.ts';
import { createRegistry, type MetricsRegistry } from './metrics.ts';

/** Cumulative counters of one REST rate group (the Upbit client's stats(), structurally). */
export type RestGroupCounts = { requests: number; tooManyRequests: number; blocked: number; failures: number };

/** What a scrape reads. Each source is read on its own: one failing leaves the others' figures in place. */
export type MetricsSources = {
  status(): Promise<Pick<BotStatus, 'mode' | 'equity' | 'krw' | 'todayPnl' | 'openPositions' | 'state' | 'feed' | 'lastHeartbeatAt' | 'now'>>;
  ordersByState(): Promise<Record<string, number>>;
  /** Null when the exchange has no REST client to count (e.g. a test double). */
  restStats(): Record<string, RestGroupCounts> | null;
};

export type JobRun = { job: string; durationMs: number; outcome: 'ok' | 'error' };

const RUN_STATES: readonly RunState[] = ['running', 'paused', 'halted'];
const MODES: readonly TradingMode[] = ['paper', 'demo', 'live'];
/** Every order state of the schema, so a state with no rows still shows 0. */
export const ORDER_STATES = orders.state.enumValues;

export function createOpsMetrics(registry: MetricsRegistry = createRegistry()) {
  const m = {
    equity: registry.gauge('coinbutler_equity_krw', 'Equity in KRW: free and locked KRW plus open positions at live prices'),
    krw: registry.gauge('coinbutler_krw_balance', 'KRW balance (free plus locked)'),
    todayPnl: registry.gauge('coinbutler_today_pnl_krw', 'Realised PnL of the current KST day in KRW'),
    positions: registry.gauge('coinbutler_open_positions', 'Positions opening, open or closing'),
    orders: registry.gauge('coinbutler_orders', 'Order rows in the database by state'),
    mode: registry.gauge('coinbutler_mode', 'Trading mode: 1 for the current one (paper, demo or live), 0 for the others'),
    botState: registry.gauge('coinbutler_bot_state', 'Run state of the bot: 1 for the current state, 0 for the others'),
    heartbeatAge: registry.gauge('coinbutler_heartbeat_age_seconds', 'Seconds since the last heartbeat was written, on the bot clock (NaN before the first)'),
    feedUp: registry.gauge('coinbutler_feed_up', '1 while the market-data WebSocket is connected'),
    wsReconnects: registry.counter('coinbutler_ws_reconnects_total', 'Market-data WebSocket reconnects since the process started'),
    rest: registry.counter('coinbutler_rest_requests_total', 'Upbit REST requests by rate group (every attempt)'),
    rest429: registry.counter('coinbutler_rest_429_total', 'Upbit REST answers 429 Too Many Requests by rate group'),
    rest418: registry.counter('coinbutler_rest_blocked_total', 'Upbit REST answers 418 (temporarily blocked) by rate group'),
    restFailures: registry.counter('coinbutler_rest_failures_total', 'Upbit REST requests that failed after their retries, by rate group'),
    aiCalls: registry.counter('coinbutler_ai_calls_total', 'Adviser rounds by adviser'),
    aiFailures: registry.counter('coinbutler_ai_failures_total', 'Adviser rounds that fell back (error, timeout, 429, quota, malformed answer) by adviser'),
    jobDuration: registry.summary('coinbutler_job_duration_seconds', 'Duration of job runs by job'),
    jobFailures: registry.counter('coinbutler_job_failures_total', 'Job runs that threw, by job'),
    collectErrors: registry.counter('coinbutler_metrics_source_errors_total', 'Scrapes where a metrics source failed, by source'),
  };

  function recordJobRun(run: JobRun): void {
    m.jobDuration.observe({ job: run.job }, run.durationMs / 1_000);
    if (run.outcome === 'error') m.jobFailures.inc({ job: run.job });
    else m.jobFailures.inc({ job: run.job }, 0); // the series exists from the first run
  }

  function recordAdvice(adviser: string, outcome: string): void {
    m.aiCalls.inc({ adviser });
    m.aiFailures.inc({ adviser }, outcome === 'fallback' ? 1 : 0);
  }

  async function collectStatus(sources: MetricsSources): Promise<void> {
    const s = await sources.status();
    m.equity.set({}, s.equity);
    m.krw.set({}, s.krw);
    m.todayPnl.set({}, s.todayPnl);
    m.positions.set({}, s.openPositions);
    for (const mode of MODES) m.mode.set({ mode }, s.mode === mode ? 1 : 0);
    for (const state of RUN_STATES) m.botState.set({ state }, s.state === state ? 1 : 0);
    m.heartbeatAge.set({}, s.lastHeartbeatAt === null ? Number.NaN : Math.max(0, s.now - s.lastHeartbeatAt) / 1_000);
    m.feedUp.set({}, s.feed.isUp ? 1 : 0);
    m.wsReconnects.set({}, s.feed.reconnects);
  }

  async function collectOrders(sources: MetricsSources): Promise<void> {
    const byState = await sources.ordersByState();
    m.orders.clear();
    for (const state of new Set([...ORDER_STATES, ...Object.keys(byState)])) m.orders.set({ state }, byState[state] ?? 0);
  }

  function collectRest(sources: MetricsSources): void {
    for (const [group, s] of Object.entries(sources.restStats() ?? {})) {
      m.rest.set({ group }, s.requests);
      m.rest429.set({ group }, s.tooManyRequests);
      m.rest418.set({ group }, s.blocked);
      m.restFailures.set({ group }, s.failures);
    }
  }

  /** Reads every source, then renders the whole registry. Never throws for a failing source. */
  async function render(sources: MetricsSources): Promise<string> {
    const named: [string, () => Promise<void> | void][] = [
      ['status', () => collectStatus(sources)],
      ['orders', () => collectOrders(sources)],
      ['rest', () => collectRest(sources)],
    ];
    const results = await Promise.allSettled(named.map(async ([, collect]) => collect()));
    results.forEach((r, i) => m.collectErrors.inc({ source: named[i]![0] }, r.status === 'rejected' ? 1 : 0));
    return registry.render();
  }

  return { registry, recordJobRun, recordAdvice, render };
}

export type OpsMetrics = ReturnType<typeof createOpsMetrics>;

/** Order rows counted by state: one GROUP BY over the orders_state_idx index. */
export async function countOrdersByState(db: Db): Promise<Record<string, number>> {
  const rows = await db.select({ state: orders.state, n: count() }).from(orders).groupBy(orders.state);
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}

/** The same adviser, counting each round and each fallback; the rule-based default (not recorded, no AI) is left as is. */
export function countAdvice(adviser: Adviser, record: (adviser: string, outcome: string) => void): Adviser {
  if (!adviser.isRecorded) return adviser;
  return {
    name: adviser.name,
    isRecorded: adviser.isRecorded,
    async advise(candidates, now) {
      const advice = await adviser.advise(candidates, now);
      record(adviser.name, advice.outcome);
      return advice;
    },
  };
}
