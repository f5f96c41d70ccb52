// Trade history: statistics, the paginated table and the CSV link, all for the current market/result filter.
/** @jsxImportSource hono/jsx */
import type { Page, TradeFilter, TradeStats, TradeView } from '../../bot/view.ts';
import { formatDuration, formatKrw, formatKst, formatPct, formatPrice, formatRatio, formatSignedKrw, formatVolume } from '../format.ts';
import type { I18n } from '../i18n.ts';
import { Polled, signClass, withQuery } from './common.tsx';

export const TRADES_PAGE_SIZE = 20;

function Stats({ st, i18n }: { st: TradeStats; i18n: I18n }) {
  const { t } = i18n;
  const cell = (key: Parameters<I18n['t']>[0], text: string, cls = '') => (
    <div><dt>{t(key)}</dt><dd class={`num ${cls}`}>{text}</dd></div>
  );
  return (
    <dl class="stats">
      {cell('count', formatKrw(st.count))}
      {cell('winRate', formatRatio(st.winRate))}
      {cell('avgWin', formatSignedKrw(st.avgWinKrw), signClass(st.avgWinKrw))}
      {cell('avgLoss', formatSignedKrw(st.avgLossKrw), signClass(st.avgLossKrw))}
      {cell('totalPnl', formatSignedKrw(st.totalPnlKrw), signClass(st.totalPnlKrw))}
      {cell('best', formatSignedKrw(st.bestKrw), signClass(st.bestKrw))}
      {cell('worst', formatSignedKrw(st.worstKrw), signClass(st.worstKrw))}
    </dl>
  );
}

function Row({ tr, i18n }: { tr: TradeView; i18n: I18n }) {
  const { label, units } = i18n;
  return (
    <tr>
      <td class="nowrap">{formatKst(tr.closedAt)}</td>
      <td>{tr.market}</td>
      <td class="num">{formatPrice(tr.entryPrice)}</td>
      <td class="num">{formatPrice(tr.exitPrice)}</td>
      <td class="num">{formatVolume(tr.volume)}</td>
      <td class={`num ${signClass(tr.pnlKrw)}`}>{formatSignedKrw(tr.pnlKrw)}</td>
      <td class={`num ${signClass(tr.pnlKrw)}`}>{formatPct(tr.pnlRate)}</td>
      <td>{label('exit', tr.exitReason)}</td>
      <td class="num">{formatDuration(tr.closedAt - tr.openedAt, units)}</td>
    </tr>
  );
}

export type TradesProps = { page: Page<TradeView>; stats: TradeStats; filter: TradeFilter; pageNo: number; i18n: I18n; problem?: string };

export function Trades({ page, stats, filter, pageNo, i18n, problem }: TradesProps) {
  const { t } = i18n;
  const pages = Math.max(1, Math.ceil(page.total / TRADES_PAGE_SIZE));
  const url = (n: number) => withQuery('/partials/trades', { market: filter.market, result: filter.result, page: n > 1 ? n : undefined });
  const nav = (n: number, text: string) => (
    <button type="button" class="btn btn-quiet" hx-get={url(n)} hx-target="#trades" hx-swap="outerHTML">{text}</button>
  );
  return (
    <Polled id="trades" url={url(pageNo)} class="panel-body">
      {problem ? <p class="bad" role="alert">{problem}</p> : <Stats st={stats} i18n={i18n} />}
      {problem ? null : page.items.length === 0 ? (
        <p class="empty">{t('noTrades')}</p>
      ) : (
        <div class="scroll">
          <table>
            <thead>
              <tr>
                <th>{t('closedAt')}</th><th>{t('market')}</th><th>{t('entry')}</th><th>{t('exit')}</th><th>{t('quantity')}</th>
                <th>{t('pnl')}</th><th>{t('pnlRate')}</th><th>{t('reason')}</th><th>{t('held')}</th>
              </tr>
            </thead>
            <tbody>{page.items.map((tr) => <Row tr={tr} i18n={i18n} />)}</tbody>
          </table>
        </div>
      )}
      <div class="pager">
        {pageNo > 1 ? nav(pageNo - 1, t('prev')) : null}
        <span>{t('pageOf', { page: pageNo, pages })}</span>
        {pageNo < pages ? nav(pageNo + 1, t('next')) : null}
        <a class="btn btn-quiet" href={withQuery('/trades.csv', { market: filter.market, result: filter.result })} download>{t('csv')}</a>
      </div>
    </Polled>
  );
}
