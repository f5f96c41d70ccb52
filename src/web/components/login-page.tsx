// The login page: one password field; posts to /login (CSRF-checked, rate-limited).
/** @jsxImportSource hono/jsx */
import type { I18n } from '../i18n.ts';
import { Layout } from './layout.tsx';

export function LoginPage({ i18n, error }: { i18n: I18n; error?: 'wrong' | 'locked' }) {
  const { t } = i18n;
  return (
    <Layout i18n={i18n} title={`${t('login')} · CoinButler`}>
      <main class="login">
        <h1>CoinButler</h1>
        <form method="post" action="/login" class="login-form">
          <label for="password">{t('password')}</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required autofocus />
          {error ? <p class="bad" role="alert">{error === 'locked' ? t('lockedOut') : t('wrongPassword')}</p> : null}
          <button type="submit" class="btn btn-go">{t('login')}</button>
        </form>
      </main>
    </Layout>
  );
}
