// AI decisions: each round's candidates with volume ratios, the pick, confidence, risk, reason, latency, outcome.
/** @jsxImportSource hono/jsx */
import type { AdviserDecisionView } from '../../bot/view.ts';
import { formatKst, formatSignedKrw } from '../format.ts';
import type { I18n } from '../i18n.ts';
import { Polled, signClass } from './common.tsx';

type CandidateLine = { market: string; volumeRatio: number | null };

/** Candidates are stored as JSON the bot wrote; read them defensively (a market and, when present, its ratio). */
export function toCandidateLines(raw: unknown): CandidateLine[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((c): CandidateLine[] => {
    if (typeof c !== 'object' || c === null || typeof (c as { market?: unknown }).market !== 'string') return [];
    const ratio = (c as { volumeRatio?: unknown }).volumeRatio;
    return [{ market: (c as { market: string }).market, volumeRatio: typeof ratio === 'number' && Number.isFinite(ratio) ? ratio : null }];
  });
}

function Row({ d, i18n }: { d: AdviserDecisionView; i18n: I18n }) {
  const { t, label } = i18n;
  return (
    <tr>
      <td class="nowrap">{formatKst(d.at)}<small>{d.adviser}</small></td>
      <td>
        <ul class="cands">
          {toCandidateLines(d.candidates).map((c) => (
            <li class={c.market === d.pick ? 'picked' : ''}>
              {c.market}
              {c.volumeRatio === null ? '' : ` ×${c.volumeRatio.toFixed(1)}`}
            </li>
          ))}
        </ul>
      </td>
      <td>{d.pick ?? t('noPick')}</td>
      <td class="num">{d.confidence ?? '—'}</td>
      <td>{d.risk ?? '—'}</td>
      <td class="reason">{d.reason ?? '—'}</td>
      <td class="num">{d.latencyMs === null ? '—' : `${d.latencyMs} ms`}</td>
      <td>
        <span class={`outcome outcome-${d.outcome}`}>{label('outcome', d.outcome)}</span>
        {d.outcomeReason ? <small>{d.outcomeReason}</small> : null}
        {d.pnlKrw === null ? null : <small class={signClass(d.pnlKrw)}>{formatSignedKrw(d.pnlKrw)}</small>}
      </td>
    </tr>
  );
}

export function Decisions({ items, i18n }: { items: AdviserDecisionView[]; i18n: I18n }) {
  const { t } = i18n;
  return (
    <Polled id="decisions" url="/partials/decisions" class="panel-body">
      {items.length === 0 ? (
        <p class="empty">{t('noDecisions')}</p>
      ) : (
        <div class="scroll">
          <table>
            <thead>
              <tr>
                <th>{t('time')}</th><th>{t('candidates')}</th><th>{t('pick')}</th><th>{t('confidence')}</th>
                <th>{t('risk')}</th><th>{t('reason')}</th><th>{t('latency')}</th><th>{t('outcome')}</th>
              </tr>
            </thead>
            <tbody>{items.map((d) => <Row d={d} i18n={i18n} />)}</tbody>
          </table>
        </div>
      )}
    </Polled>
  );
}
