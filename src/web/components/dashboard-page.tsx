// The dashboard page: polled regions in reading order, the chart outside them, filters that never get swapped.
/** @jsxImportSource hono/jsx */
import type { JSX } from 'hono/jsx/jsx-runtime';
import type { MarketCode } from '../../core/types.ts';
import type { I18n } from '../i18n.ts';
import type { ViewParams } from '../view-params.ts';
import { MarketChart, PnlCharts } from './charts.tsx';
import { Layout, REQUEST_TIMEOUT_MS } from './layout.tsx';
import { LogFilter } from './logs.tsx';

type Slots = Record<'status' | 'cards' | 'positions' | 'trades' | 'decisions' | 'logs' | 'settings', JSX.Element>;

function TradeFilter({ params, i18n }: { params: ViewParams; i18n: I18n }) {
  const { t } = i18n;
  return (
    <form class="filters" action="/" method="get" hx-get="/partials/trades" hx-target="#trades" hx-swap="outerHTML">
      <label>
        {t('market')}{' '}
        <input name="market" value={params.market ?? params.badMarket ?? ''} placeholder="KRW-BTC" size={10} autocapitalize="characters" />
      </label>
      <label>
        {t('result')}{' '}
        <select name="result">
          <option value="" selected={!params.result}>{t('all')}</option>
          <option value="win" selected={params.result === 'win'}>{t('win')}</option>
          <option value="loss" selected={params.result === 'loss'}>{t('loss')}</option>
        </select>
      </label>
      <button type="submit" class="btn btn-quiet">{t('apply')}</button>
    </form>
  );
}

export function DashboardPage(props: { i18n: I18n; params: ViewParams; slot: Slots; markets: MarketCode[] }) {
  const { i18n, params, slot } = props;
  const { t } = i18n;
  return (
    <Layout i18n={i18n} title={t('appTitle')} withScripts>
      {slot.status}
      {/* Words for dashboard.js when a button gets no region back: refused (4xx/5xx are never swapped), timed out, unreachable. */}
      <div id="flash" class="flash" role="status" aria-live="polite" data-failed={t('flashFailed', { message: '{message}' })}
        data-timeout={t('actionTimeout', { seconds: REQUEST_TIMEOUT_MS / 1_000 })} data-unreachable={t('actionUnreachable')}></div>
      <main>
        {slot.cards}
        {slot.positions}
        <MarketChart markets={props.markets} i18n={i18n} />
        <section class="panel" id="trades-panel">
          <div class="panel-head"><h2>{t('trades')}</h2></div>
          <TradeFilter params={params} i18n={i18n} />
          {slot.trades}
          <PnlCharts i18n={i18n} />
        </section>
        <section class="panel" id="decisions-panel">
          <div class="panel-head"><h2>{t('decisions')}</h2></div>
          {slot.decisions}
        </section>
        <section class="panel" id="logs-panel">
          <div class="panel-head"><h2>{t('logs')}</h2></div>
          <LogFilter level={params.level} i18n={i18n} />
          {slot.logs}
        </section>
        <details class="panel" id="settings-panel">
          <summary><h2>{t('settings')}</h2></summary>
          {slot.settings}
        </details>
      </main>
    </Layout>
  );
}
