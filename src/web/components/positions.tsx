// The positions table: entry, live price and PnL, TP/SL levels, held time, a Sell button per row and Sell all.
/** @jsxImportSource hono/jsx */
import type { PositionView } from '../../bot/view.ts';
import { formatDuration, formatPct, formatPrice, formatSignedKrw, formatVolume } from '../format.ts';
import type { I18n } from '../i18n.ts';
import { ageMs, Polled, signClass } from './common.tsx';

function Row({ p, now, i18n }: { p: PositionView; now: number; i18n: I18n }) {
  const { t, label, units } = i18n;
  const held = ageMs(now, p.openedAt);
  return (
    <tr data-position-id={p.id}>
      <td>
        <button type="button" class="linklike" data-chart-market={p.market}>{p.market}</button>
        {p.state === 'open' ? null : <small class="pos-state">{label('pos', p.state)}</small>}
        <small class="vol">{formatVolume(p.volume)}</small>
      </td>
      <td class="num">{formatPrice(p.entryPrice)}</td>
      <td class="num">{formatPrice(p.currentPrice)}</td>
      <td class={`num ${signClass(p.pnlKrw)}`}>
        {formatPct(p.pnlRate)}
        <small>{formatSignedKrw(p.pnlKrw)}</small>
      </td>
      <td class="num up-level">{formatPrice(p.takeProfitPrice)}</td>
      <td class="num down-level">{formatPrice(p.stopLossPrice)}</td>
      <td class="num">{held === null ? '—' : formatDuration(held, units)}</td>
      <td>
        <button type="button" class="btn btn-sell" disabled={p.state !== 'open'} hx-post={`/actions/sell/${p.id}`}
          hx-confirm={t('confirmSell', { market: p.market })} hx-target="#positions" hx-swap="outerHTML">
          {t('sell')}
        </button>
      </td>
    </tr>
  );
}

export function Positions({ positions, now, i18n }: { positions: PositionView[]; now: number; i18n: I18n }) {
  const { t } = i18n;
  const isSellable = positions.some((p) => p.state === 'open');
  return (
    <Polled id="positions" url="/partials/positions" class="panel">
      <div class="panel-head">
        <h2>{t('positions')}</h2>
        {isSellable ? (
          <button type="button" class="btn btn-sell" hx-post="/actions/sell-all" hx-confirm={t('confirmSellAll')}
            hx-target="#positions" hx-swap="outerHTML">
            {t('sellAll')}
          </button>
        ) : null}
      </div>
      {positions.length === 0 ? (
        <p class="empty">{t('noPositions')}</p>
      ) : (
        <div class="scroll">
          <table>
            <thead>
              <tr>
                <th>{t('market')}</th><th>{t('entry')}</th><th>{t('current')}</th><th>{t('pnl')}</th>
                <th>{t('takeProfit')}</th><th>{t('stopLoss')}</th><th>{t('held')}</th><th></th>
              </tr>
            </thead>
            <tbody>{positions.map((p) => <Row p={p} now={now} i18n={i18n} />)}</tbody>
          </table>
        </div>
      )}
    </Polled>
  );
}
