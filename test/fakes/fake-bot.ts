// A hand-written DashboardQueries/BotCommands pair with seeded data; records the commands it was given.
import type {
  AdviserDecisionView, AdviserQuotaView, BotCommands, BotStatus, ChartView, DashboardQueries, EventView, PositionView,
  SettingView, TradeFilter, TradeView,
} from '../../src/bot/view.ts';
import { kstDayOf, DAY_MS } from '../../src/core/time.ts';

export type FakeBotSeed = {
  status?: Partial<BotStatus>;
  positions?: PositionView[];
  trades?: TradeView[];
  events?: EventView[];
  decisions?: AdviserDecisionView[];
  charts?: Record<string, Omit<ChartView, 'market'>>;
  chartMarkets?: string[];
  quota?: Partial<AdviserQuotaView>;
  settings?: SettingView[];
  /** Make the next command answer { ok: false, message }. */
  refuseWith?: string;
};

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
const matches = (t: TradeView, q: TradeFilter) =>
  (!q.market || t.market === q.market) && (!q.result || (q.result === 'win' ? t.pnlKrw > 0 : t.pnlKrw <= 0));
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

export function createFakeBot(seed: FakeBotSeed = {}) {
  const calls: string[] = [];
  let state: BotStatus['state'] = seed.status?.state ?? 'running';
  const status = (): BotStatus => ({
    mode: 'paper', stateReason: null, stateSince: null, krw: 1_000_000, equity: 1_000_000, todayPnl: 0,
    dailyLossLimit: -50_000, isDailyLimitHit: false, openPositions: seed.positions?.length ?? 0, maxPositions: 3,
    winRate: null, tradeCount: 0, feed: { isUp: true, lastTickAt: 1_000, reconnects: 0, detail: null },
    exchange: { isDegraded: false, reason: null }, lastHeartbeatAt: 1_000, now: 2_000, ...seed.status, ...{ state },
  });
  const page = <T>(items: T[], limit: number, offset: number) => ({ items: items.slice(offset, offset + limit), total: items.length, limit, offset });
  const trades = seed.trades ?? [];
  const byClose = () => [...trades].sort((a, b) => a.closedAt - b.closedAt);

  const queries: DashboardQueries = {
    status: async () => status(),
    positions: async () => seed.positions ?? [],
    trades: async (q) => page(trades.filter((t) => matches(t, q)), q.limit, q.offset),
    adviserDecisions: async (q) => page(seed.decisions ?? [], q.limit, q.offset),
    events: async (q) => {
      const min = LEVELS.indexOf(q.minLevel ?? 'debug');
      return page((seed.events ?? []).filter((e) => LEVELS.indexOf(e.level) >= min), q.limit, q.offset);
    },
    chart: async (market, q) => {
      const c = seed.charts?.[market] ?? { candles: [], fills: [], entryPrice: null, takeProfitPrice: null, stopLossPrice: null };
      return { market, ...c, candles: c.candles.slice(-q.limit) };
    },
    chartMarkets: async () => seed.chartMarkets ?? [...new Set([...(seed.positions ?? []).map((p) => p.market), ...Object.keys(seed.charts ?? {})])],
    tradeStats: async (q) => {
      const pnl = trades.filter((t) => matches(t, q)).map((t) => t.pnlKrw);
      const wins = pnl.filter((p) => p > 0);
      const losses = pnl.filter((p) => p <= 0);
      return {
        count: pnl.length, wins: wins.length, losses: losses.length, winRate: pnl.length ? wins.length / pnl.length : null,
        avgWinKrw: mean(wins), avgLossKrw: mean(losses), totalPnlKrw: pnl.reduce((a, b) => a + b, 0),
        bestKrw: pnl.length ? Math.max(...pnl) : null, worstKrw: pnl.length ? Math.min(...pnl) : null,
      };
    },
    dailyPnl: async (days) => {
      const first = kstDayOf(status().now - (days - 1) * DAY_MS);
      const byDay = new Map<string, { day: string; pnlKrw: number; trades: number; wins: number; losses: number }>();
      for (const t of byClose()) {
        const day = kstDayOf(t.closedAt);
        if (day < first) continue;
        const d = byDay.get(day) ?? { day, pnlKrw: 0, trades: 0, wins: 0, losses: 0 };
        d.pnlKrw += t.pnlKrw;
        d.trades += 1;
        if (t.pnlKrw > 0) d.wins += 1;
        else d.losses += 1;
        byDay.set(day, d);
      }
      return [...byDay.values()];
    },
    pnlCurve: async (q) => {
      let sum = 0;
      return byClose().map((t) => ({ at: t.closedAt, pnlKrw: t.pnlKrw, cumulativeKrw: (sum += t.pnlKrw) })).slice(-q.limit);
    },
    adviserQuota: async () => ({ adviser: 'top-candidate', isEnabled: false, usedThisMonth: 0, monthlyQuota: 1_500, ...seed.quota }),
    settings: async () => seed.settings ?? [{ key: 'TRADING_MODE', value: 'paper', isSecret: false }],
  };

  const run = (call: string, ok: string, effect = () => {}) => {
    calls.push(call);
    if (seed.refuseWith) return Promise.resolve({ ok: false as const, message: seed.refuseWith });
    effect();
    return Promise.resolve({ ok: true as const, message: ok });
  };
  const commands: BotCommands = {
    pause: (by) => run(`pause:${by}`, 'paused', () => (state = 'paused')),
    resume: (by) => run(`resume:${by}`, 'running', () => (state = 'running')),
    sellPosition: (id, by) => run(`sell:${id}:${by}`, 'selling'),
    sellAll: (by) => run(`sellAll:${by}`, 'selling all'),
  };
  return { queries, commands, calls };
}
