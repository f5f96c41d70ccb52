// The effective configuration, with every secret shown only as set / not set.
/** @jsxImportSource hono/jsx */
import type { SettingView } from '../../bot/view.ts';
import { redactUrl, SECRET_VARS } from '../../config.ts';
import type { I18n } from '../i18n.ts';

// Defence in depth: a key named like a secret is masked even if the read model forgot to flag it.
const isSecretKey = (key: string) => (SECRET_VARS as readonly string[]).includes(key) || /password|secret|token|api_?key/i.test(key);
/** A URL value (DATABASE_URL, TELEGRAM_API_ROOT, …) may carry `user:pass@` or libSQL's `?authToken=`: shown without them. */
const shownValue = (value: string) => (/^[a-z][a-z0-9+.-]*:/i.test(value) && /[@?]/.test(value) ? redactUrl(value) : value);

export function Settings({ items, i18n }: { items: SettingView[]; i18n: I18n }) {
  const { t } = i18n;
  return (
    <section id="settings" class="panel-body">
      <div class="scroll">
        <table class="settings">
          <thead><tr><th>{t('setting')}</th><th>{t('value')}</th></tr></thead>
          <tbody>
            {items.map((s) => (
              <tr>
                <td><code>{s.key}</code></td>
                <td>
                  {s.isSecret || isSecretKey(s.key) ? (
                    <span class="masked">{s.value === null || s.value === '' ? t('secretUnset') : `•••• ${t('secretSet')}`}</span>
                  ) : (
                    <code>{s.value === null ? '—' : shownValue(s.value)}</code>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
