// A hand-written BotQueries/BotCommands pair with seeded data; records the commands it was given.
import type { BotCommands, BotQueries, BotStatus, EventView, PositionView, TradeView } from '../../src/bot/view.ts';

export function createFakeBot(seed: { status?: Partial<BotStatus>; positions?: PositionView[]; trades?: TradeView[]; events?: EventView[] } = {}) {
  const calls: string[] = [];
  let state: BotStatus['state'] = seed.status?.state ?? 'running';
  const status = (): BotStatus => ({
    mode: 'paper', stateReason: null, stateSince: null, krw: 1_000_000, equity: 1_000_000, todayPnl: 0,
    dailyLossLimit: -50_000, isDailyLimitHit: false, openPositions: seed.positions?.length ?? 0, maxPositions: 3,
    winRate: null, tradeCount: 0, feed: { isUp: true, lastTickAt: 1_000, reconnects: 0, detail: null },
    exchange: { isDegraded: false, reason: null }, lastHeartbeatAt: 1_000, now: 2_000, ...seed.status, ...{ state },
  });
  const page = <T>(items: T[], limit: number, offset: number) => ({ items: items.slice(offset, offset + limit), total: items.length, limit, offset });
  const queries: BotQueries = {
    status: async () => status(),
    positions: async () => seed.positions ?? [],
    trades: async (q) => page((seed.trades ?? []).filter((t) => !q.market || t.market === q.market), q.limit, q.offset),
    adviserDecisions: async (q) => page([], q.limit, q.offset),
    events: async (q) => page(seed.events ?? [], q.limit, q.offset),
  };
  const commands: BotCommands = {
    pause: async (by) => {
      calls.push(`pause:${by}`);
      state = 'paused';
      return { ok: true, message: 'paused' };
    },
    resume: async (by) => {
      calls.push(`resume:${by}`);
      state = 'running';
      return { ok: true, message: 'running' };
    },
    sellPosition: async (id, by) => {
      calls.push(`sell:${id}:${by}`);
      return { ok: true, message: 'selling' };
    },
    sellAll: async (by) => {
      calls.push(`sellAll:${by}`);
      return { ok: true, message: 'selling all' };
    },
  };
  return { queries, commands, calls };
}
