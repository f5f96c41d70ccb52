// The log viewer: the bot's events newest first, filtered by minimum level, refreshed every 5 s.
/** @jsxImportSource hono/jsx */
import type { EventView } from '../../bot/view.ts';
import { formatKst } from '../format.ts';
import type { I18n } from '../i18n.ts';
import { Polled, withQuery } from './common.tsx';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function Logs({ events, level, i18n }: { events: EventView[]; level: LogLevel | undefined; i18n: I18n }) {
  const { t, label } = i18n;
  const newestFirst = [...events].sort((a, b) => b.at - a.at || b.id - a.id);
  return (
    <Polled id="logs" url={withQuery('/partials/logs', { level })} class="panel-body">
      {newestFirst.length === 0 ? (
        <p class="empty">{t('noLogs')}</p>
      ) : (
        <ol class="log">
          {newestFirst.map((e) => (
            <li class={`log-${e.level}`} data-level={e.level}>
              <time class="nowrap">{formatKst(e.at)}</time>
              <span class="lvl">{label('level', e.level)}</span>
              <span class="kind">{e.kind}</span>
              <span class="msg">{e.message}</span>
            </li>
          ))}
        </ol>
      )}
    </Polled>
  );
}

/** The level filter; lives outside the polled region so a poll never resets it. */
export function LogFilter({ level, i18n }: { level: LogLevel | undefined; i18n: I18n }) {
  const { t, label } = i18n;
  return (
    <form class="filters" action="/" method="get" hx-get="/partials/logs" hx-target="#logs" hx-swap="outerHTML" hx-trigger="change">
      <label>
        {t('level')}{' '}
        <select name="level">
          {LOG_LEVELS.map((l) => <option value={l} selected={l === (level ?? 'debug')}>{label('level', l)}</option>)}
        </select>
      </label>
      <span class="sub">{t('autoRefresh')}</span>
    </form>
  );
}
