// The summary cards: KRW, equity, today's PnL filling toward the daily loss limit, positions, win rate, AI quota.
/** @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';
import type { AdviserQuotaView, BotStatus } from '../../bot/view.ts';
import { formatKrw, formatRatio, formatSignedKrw } from '../format.ts';
import type { I18n } from '../i18n.ts';
import { Polled, signClass } from './common.tsx';

function Card(props: { title: string; id: string; children?: Child }) {
  return (
    <div class="card" id={`card-${props.id}`}>
      <h3>{props.title}</h3>
      {props.children}
    </div>
  );
}

export function Cards({ s, quota, i18n }: { s: BotStatus; quota: AdviserQuotaView; i18n: I18n }) {
  const { t } = i18n;
  const won = (n: number) => `${formatKrw(n)} ${t('krwUnit')}`;
  // The bar fills with today's loss toward the (negative) daily limit; gains leave it empty.
  const limit = Math.abs(s.dailyLossLimit);
  const loss = Math.min(limit, Math.max(0, -s.todayPnl));
  const quotaShare = quota.monthlyQuota > 0 ? quota.usedThisMonth / quota.monthlyQuota : null;
  return (
    <Polled id="cards" url="/partials/cards" class="cards">
      <Card id="krw" title={t('krwBalance')}><p class="big num">{won(s.krw)}</p></Card>
      <Card id="equity" title={t('equity')}><p class="big num">{won(s.equity)}</p></Card>
      <Card id="today" title={t('todayPnl')}>
        <p class={`big num ${signClass(s.todayPnl)}`}>{formatSignedKrw(s.todayPnl)} {t('krwUnit')}</p>
        <meter min={0} max={limit} low={limit * 0.5} high={limit * 0.8} optimum={0} value={loss} />
        <p class="sub">{t('lossLimit', { limit: won(s.dailyLossLimit) })}</p>
        {s.isDailyLimitHit ? <p class="sub bad">{t('limitHit')}</p> : null}
      </Card>
      <Card id="positions" title={t('openPositions')}>
        <p class="big num">{s.openPositions} / {s.maxPositions}</p>
      </Card>
      <Card id="winrate" title={t('winRate')}>
        <p class="big num">{formatRatio(s.winRate)}</p>
        <p class="sub">{t('tradeCount', { n: formatKrw(s.tradeCount) })}</p>
      </Card>
      <Card id="ai" title={t('aiQuota')}>
        {quota.isEnabled ? (
          <>
            <p class="big num">{formatKrw(quota.usedThisMonth)} / {formatKrw(quota.monthlyQuota)}</p>
            <meter min={0} max={1} low={0.7} high={0.9} optimum={0} value={quotaShare ?? 0} />
            <p class="sub">{quota.adviser}</p>
          </>
        ) : (
          <p class="sub">{t('aiOff')}</p>
        )}
      </Card>
    </Polled>
  );
}
