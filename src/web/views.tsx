// Loads each dashboard region from the read models and renders it; the full page is the same regions composed.
/** @jsxImportSource hono/jsx */
import type { JSX } from 'hono/jsx/jsx-runtime';
import type { DashboardQueries, TradeStats } from '../bot/view.ts';
import { Cards } from './components/cards.tsx';
import { Decisions } from './components/decisions.tsx';
import { DashboardPage } from './components/dashboard-page.tsx';
import { Logs } from './components/logs.tsx';
import { Positions } from './components/positions.tsx';
import { Settings } from './components/settings.tsx';
import { StatusBar } from './components/status-bar.tsx';
import { Trades, TRADES_PAGE_SIZE } from './components/trades.tsx';
import type { I18n } from './i18n.ts';
import type { ViewParams } from './view-params.ts';

export const PARTIAL_NAMES = ['status', 'cards', 'positions', 'trades', 'decisions', 'logs', 'settings'] as const;
export type PartialName = (typeof PARTIAL_NAMES)[number];
export const isPartialName = (s: string): s is PartialName => (PARTIAL_NAMES as readonly string[]).includes(s);

export const DECISIONS_SHOWN = 20;
export const LOG_LINES_SHOWN = 100;
const NO_STATS: TradeStats = { count: 0, wins: 0, losses: 0, winRate: null, avgWinKrw: null, avgLossKrw: null, totalPnlKrw: 0, bestKrw: null, worstKrw: null };

export type ViewDeps = { queries: DashboardQueries; i18n: I18n; isAuthRequired: boolean };

export function createViews({ queries: q, i18n, isAuthRequired }: ViewDeps) {
  const partials: Record<PartialName, (p: ViewParams) => Promise<JSX.Element>> = {
    status: async () => <StatusBar s={await q.status()} i18n={i18n} isAuthRequired={isAuthRequired} />,
    cards: async () => {
      const [s, quota] = await Promise.all([q.status(), q.adviserQuota()]);
      return <Cards s={s} quota={quota} i18n={i18n} />;
    },
    positions: async () => {
      const [s, positions] = await Promise.all([q.status(), q.positions()]);
      return <Positions positions={positions} now={s.now} i18n={i18n} />;
    },
    trades: async (p) => {
      if (p.badMarket !== undefined) {
        const filter = { market: p.badMarket, ...(p.result ? { result: p.result } : {}) };
        const problem = i18n.t('badMarket', { value: p.badMarket });
        return <Trades page={{ items: [], total: 0, limit: TRADES_PAGE_SIZE, offset: 0 }} stats={NO_STATS} filter={filter} pageNo={1} i18n={i18n} problem={problem} />;
      }
      const filter = { ...(p.market ? { market: p.market } : {}), ...(p.result ? { result: p.result } : {}) };
      const [page, stats] = await Promise.all([
        q.trades({ ...filter, limit: TRADES_PAGE_SIZE, offset: (p.page - 1) * TRADES_PAGE_SIZE }),
        q.tradeStats(filter),
      ]);
      return <Trades page={page} stats={stats} filter={filter} pageNo={p.page} i18n={i18n} />;
    },
    decisions: async () => <Decisions items={(await q.adviserDecisions({ limit: DECISIONS_SHOWN, offset: 0 })).items} i18n={i18n} />,
    logs: async (p) => {
      const page = await q.events({ limit: LOG_LINES_SHOWN, offset: 0, ...(p.level ? { minLevel: p.level } : {}) });
      return <Logs events={page.items} level={p.level} i18n={i18n} />;
    },
    settings: async () => <Settings items={await q.settings()} i18n={i18n} />,
  };

  /** The whole dashboard with every region rendered for these parameters. */
  async function page(p: ViewParams): Promise<JSX.Element> {
    const names = PARTIAL_NAMES;
    const [regions, markets] = await Promise.all([Promise.all(names.map((n) => partials[n](p))), q.chartMarkets()]);
    const slot = Object.fromEntries(names.map((n, i) => [n, regions[i]])) as Record<PartialName, JSX.Element>;
    return <DashboardPage i18n={i18n} params={p} slot={slot} markets={markets} />;
  }

  return { partials, page };
}
