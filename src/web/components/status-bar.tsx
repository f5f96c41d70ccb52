// The header: PAPER/DEMO/LIVE badge, bot state with reason, feed health, heartbeat, KST clock, pause/resume.
/** @jsxImportSource hono/jsx */
import type { BotStatus } from '../../bot/view.ts';
import { formatDuration, formatKstClock, toKstIso } from '../format.ts';
import type { I18n } from '../i18n.ts';
import { ageMs, Polled } from './common.tsx';

/** The mode word is always English so it can never be misread; LIVE is styled red. */
const MODE_WORD = { paper: 'PAPER', demo: 'DEMO', live: 'LIVE' } as const;

export function StatusBar({ s, i18n, isAuthRequired }: { s: BotStatus; i18n: I18n; isAuthRequired: boolean }) {
  const { t, label, units } = i18n;
  const tickAge = ageMs(s.now, s.feed.lastTickAt);
  const beatAge = ageMs(s.now, s.lastHeartbeatAt);
  // A halted bot is resumed by the owner (the bot may refuse and say why).
  const isPaused = s.state !== 'running';
  return (
    <Polled id="status" url="/partials/status" tag="header" class={`status mode-${s.mode}`}>
      <div class="status-main">
        <strong class="brand">CoinButler</strong>
        <span class={`badge badge-${s.mode}`} title={label('mode', s.mode)} data-mode={s.mode}>{MODE_WORD[s.mode]}</span>
        <span class="mode-label">{label('mode', s.mode)}</span>
        <span class={`state state-${s.state}`} data-state={s.state}>{label('state', s.state)}</span>
        {s.stateReason ? <span class="state-reason">{s.stateReason}</span> : null}
      </div>
      <dl class="status-facts">
        <div>
          <dt>{t('feed')}</dt>
          <dd class={s.feed.isUp ? 'ok' : 'bad'}>
            {s.feed.isUp ? t('feedUp') : t('feedDown')}
            {' · '}
            {tickAge === null ? t('noTick') : t('lastTick', { age: formatDuration(tickAge, units) })}
            {s.feed.reconnects > 0 ? ` · ${t('reconnects', { n: s.feed.reconnects })}` : ''}
            {!s.feed.isUp && s.feed.detail ? ` · ${s.feed.detail}` : ''}
          </dd>
        </div>
        <div>
          <dt>{t('heartbeat')}</dt>
          <dd>{beatAge === null ? t('never') : t('heartbeatAge', { age: formatDuration(beatAge, units) })}</dd>
        </div>
        <div>
          <dt>{t('clock')}</dt>
          <dd><time id="clock" datetime={toKstIso(s.now)}>{formatKstClock(s.now)}</time></dd>
        </div>
      </dl>
      {s.exchange.isDegraded ? <p class="warn-line">{t('exchangeDegraded', { reason: s.exchange.reason ?? '' })}</p> : null}
      <div class="controls">
        <button type="button" class={isPaused ? 'btn btn-go' : 'btn'} hx-post={isPaused ? '/actions/resume' : '/actions/pause'}
          hx-target="#status" hx-swap="outerHTML">
          {isPaused ? t('resume') : t('pause')}
        </button>
        {isAuthRequired ? (
          <form method="post" action="/logout" class="inline">
            <button type="submit" class="btn btn-quiet">{t('logout')}</button>
          </form>
        ) : null}
      </div>
    </Polled>
  );
}
