// A realistic seeded state for dashboard tests and screenshots: two positions, closed trades, AI rounds, a log, a chart.
import type { ChartCandle, ChartFill, EventView, PositionView, TradeView } from '../../src/bot/view.ts';
import type { FakeBotSeed } from './fake-bot.ts';

/** 2026-11-26 14:30:00 KST. */
export const SEED_NOW = Date.UTC(2026, 10, 26, 5, 30, 0);
const MIN = 60_000;

export const HOSTILE = '<script>alert(1)</script>';

function candles(from: number, count: number, start: number): ChartCandle[] {
  const out: ChartCandle[] = [];
  let price = start;
  for (let i = 0; i < count; i++) {
    // A deterministic wiggle with a spike near the end.
    const drift = Math.sin(i / 5) * start * 0.004 + (i === count - 12 ? start * 0.02 : 0);
    const open = price;
    const close = Math.round(price + drift);
    out.push({ openTime: from + i * 5 * MIN, open, high: Math.max(open, close) * 1.002, low: Math.min(open, close) * 0.998, close, volume: 2 + ((i * 7) % 5) + (i === count - 12 ? 25 : 0) });
    price = close;
  }
  return out;
}

const positions: PositionView[] = [
  { id: 7, market: 'KRW-BTC', state: 'open', volume: 0.00066666, entryPrice: 150_000_000, currentPrice: 151_230_000, pnlKrw: 769.98, pnlRate: 0.0077, takeProfitPrice: 154_500_000, stopLossPrice: 147_000_000, openedAt: SEED_NOW - 47 * MIN },
  { id: 8, market: 'KRW-XRP', state: 'open', volume: 31.1, entryPrice: 3_215, currentPrice: 3_180, pnlKrw: -1_138.5, pnlRate: -0.0114, takeProfitPrice: 3_311.45, stopLossPrice: 3_150.7, openedAt: SEED_NOW - 12 * MIN },
];

const trade = (id: number, market: string, entry: number, exit: number, hoursAgo: number, reason: string): TradeView => {
  const volume = 100_000 / entry;
  const pnlKrw = (exit - entry) * volume - 100_000 * 0.0005 - exit * volume * 0.0005;
  return { id, market, entryPrice: entry, exitPrice: exit, volume, entryCostKrw: 100_000, pnlKrw, pnlRate: pnlKrw / 100_000, openedAt: SEED_NOW - hoursAgo * 60 * MIN - 40 * MIN, closedAt: SEED_NOW - hoursAgo * 60 * MIN, exitReason: reason };
};

const trades: TradeView[] = [
  trade(6, 'KRW-SOL', 210_000, 216_300, 2, 'take-profit'),
  trade(5, 'KRW-DOGE', 512, 501.7, 5, 'stop-loss'),
  trade(4, 'KRW-ETH', 5_120_000, 5_273_600, 27, 'take-profit'),
  trade(3, 'KRW-XRP', 3_100, 3_038, 50, 'stop-loss'),
  trade(2, 'KRW-BTC', 149_000_000, 153_470_000, 75, 'take-profit'),
];

const event = (id: number, minutesAgo: number, level: EventView['level'], kind: string, message: string): EventView => ({ id, at: SEED_NOW - minutesAgo * MIN, level, kind, message, data: null });
const events: EventView[] = [
  event(1, 60, 'info', 'bot.started', 'Bot started in paper mode'),
  event(2, 47, 'info', 'position.opened', 'Bought KRW-BTC 0.00066666 at 150,000,000'),
  event(3, 30, 'debug', 'feed.tick', 'Ticker batch: 212 markets'),
  event(4, 20, 'warn', 'exchange.rate-limited', 'Upbit answered 429; backing off 1 s'),
  event(5, 12, 'info', 'position.opened', 'Bought KRW-XRP 31.1 at 3,215'),
  event(6, 3, 'error', 'feed.dropped', 'WebSocket closed (1006); reconnecting'),
];

const btcFrom = SEED_NOW - 100 * 5 * MIN;
const btc = candles(btcFrom, 100, 149_200_000);
const fills: ChartFill[] = [{ at: SEED_NOW - 47 * MIN, side: 'buy', price: 150_000_000, volume: 0.00066666, positionId: 7 }];

export const dashboardSeed = (over: Partial<FakeBotSeed> = {}): FakeBotSeed => ({
  status: {
    mode: 'paper', krw: 812_345.6, equity: 1_007_894.4, todayPnl: -18_400, dailyLossLimit: -50_000, openPositions: 2, maxPositions: 3,
    winRate: 0.6, tradeCount: 5, feed: { isUp: true, lastTickAt: SEED_NOW - 1_200, reconnects: 1, detail: null },
    lastHeartbeatAt: SEED_NOW - 4_000, now: SEED_NOW,
  },
  positions,
  trades,
  events,
  decisions: [
    {
      id: 11, at: SEED_NOW - 12 * MIN, adviser: 'gemini', pick: 'KRW-XRP', confidence: 72, risk: 'medium',
      reason: 'Volume spike with steady bids; no caution flag', latencyMs: 1_840, outcome: 'taken', outcomeReason: null, pnlKrw: null,
      candidates: [{ market: 'KRW-XRP', volumeRatio: 3.41 }, { market: 'KRW-DOGE', volumeRatio: 2.2 }],
    },
    {
      id: 10, at: SEED_NOW - 95 * MIN, adviser: 'gemini', pick: null, confidence: 40, risk: 'high',
      reason: 'Spike is a single print; skip', latencyMs: 2_210, outcome: 'skipped', outcomeReason: 'adviser said skip', pnlKrw: null,
      candidates: [{ market: 'KRW-SHIB', volumeRatio: 5.02 }],
    },
  ],
  charts: {
    'KRW-BTC': { candles: btc, fills, entryPrice: 150_000_000, takeProfitPrice: 154_500_000, stopLossPrice: 147_000_000 },
    'KRW-XRP': { candles: candles(btcFrom, 100, 3_150), fills: [{ at: SEED_NOW - 12 * MIN, side: 'buy', price: 3_215, volume: 31.1, positionId: 8 }], entryPrice: 3_215, takeProfitPrice: 3_311.45, stopLossPrice: 3_150.7 },
  },
  quota: { adviser: 'gemini', isEnabled: true, usedThisMonth: 312, monthlyQuota: 1_500 },
  settings: [
    { key: 'TRADING_MODE', value: 'paper', isSecret: false },
    { key: 'INVESTMENT_AMOUNT', value: '100000', isSecret: false },
    { key: 'PROFIT_RATE', value: '0.03', isSecret: false },
    { key: 'LOSS_RATE', value: '-0.02', isSecret: false },
    { key: 'DAILY_LOSS_LIMIT', value: '-50000', isSecret: false },
    { key: 'UPBIT_ACCESS_KEY', value: null, isSecret: true },
    { key: 'GEMINI_API_KEY', value: 'AIza-REAL-SECRET-VALUE', isSecret: true },
  ],
  ...over,
});
