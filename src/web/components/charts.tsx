// Chart containers (drawn by public/dashboard.js from /api/chart and /api/pnl); never inside a polled region.
/** @jsxImportSource hono/jsx */
import type { MarketCode } from '../../core/types.ts';
import type { I18n } from '../i18n.ts';

export function MarketChart({ markets, i18n }: { markets: MarketCode[]; i18n: I18n }) {
  const { t } = i18n;
  return (
    <section class="panel" id="chart-panel">
      <div class="panel-head">
        <h2>{t('chart')}</h2>
        <label>
          {t('chartMarket')}{' '}
          <select id="chart-market" name="market" data-empty={t('noChartMarkets')}>
            {markets.map((m) => <option value={m}>{m}</option>)}
          </select>
        </label>
      </div>
      {markets.length === 0 ? <p class="empty" id="chart-empty">{t('noChartMarkets')}</p> : null}
      <div id="chart" class="chart" data-src="/api/chart" role="img" aria-label={t('chart')}></div>
      <p class="attribution">
        <a href="https://www.tradingview.com/" rel="noopener noreferrer" target="_blank">TradingView Lightweight Charts™</a>
      </p>
    </section>
  );
}

export function PnlCharts({ i18n }: { i18n: I18n }) {
  const { t } = i18n;
  return (
    <div class="pnl-charts" id="pnl-charts" data-src="/api/pnl">
      <figure>
        <figcaption>{t('cumulativePnl')}</figcaption>
        <div id="pnl-curve" class="chart chart-small"></div>
      </figure>
      <figure>
        <figcaption>{t('dailyPnl')}</figcaption>
        <div id="pnl-daily" class="chart chart-small"></div>
      </figure>
    </div>
  );
}
