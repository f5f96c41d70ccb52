import { describe, expect, test } from 'bun:test';
import { HOSTILE } from '../fakes/dashboard-seed.ts';
import { HX, loginCookie, openDashboard, PASSWORD, SAME_ORIGIN } from './helpers.ts';

const hostileSeed = {
  positions: [{ id: 9, market: HOSTILE, state: 'open' as const, volume: 1, entryPrice: 100, currentPrice: 101, pnlKrw: 1, pnlRate: 0.01, takeProfitPrice: 103, stopLossPrice: 98, openedAt: 0 }],
  trades: [{ id: 1, market: HOSTILE, entryPrice: 100, exitPrice: 90, volume: 1, entryCostKrw: 100, pnlKrw: -10, pnlRate: -0.1, openedAt: 1, closedAt: 2, exitReason: '"><img src=x onerror=alert(2)>' }],
  decisions: [{
    id: 1, at: 0, adviser: 'gemini', candidates: [{ market: HOSTILE, volumeRatio: 3 }], pick: HOSTILE, confidence: 50, risk: '<b>high</b>',
    reason: `buy now ${HOSTILE}`, latencyMs: 10, outcome: 'taken', outcomeReason: "'><svg onload=alert(3)>", pnlKrw: null,
  }],
  events: [{ id: 1, at: 0, level: 'error' as const, kind: '<i>kind</i>', message: HOSTILE, data: null }],
  settings: [{ key: '<u>KEY</u>', value: HOSTILE, isSecret: false }],
  status: { stateReason: HOSTILE, state: 'halted' as const },
};

describe('escaping of hostile strings', () => {
  test('market names, AI reasons, exit reasons, log messages and settings are rendered as text, never as markup', async () => {
    const { html } = await openDashboard({ seed: hostileSeed }).get('/');
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<svg');
    expect(html).not.toContain('<b>high</b>');
    expect(html).not.toContain('<i>kind</i>');
    expect(html).not.toContain('<u>KEY</u>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('buy now &lt;script&gt;');
    expect(html).toContain('&lt;b&gt;high&lt;/b&gt;');
    // Inside attributes (confirm text, chart button) quotes are escaped too.
    expect(html).toMatch(/hx-confirm="[^"]*&lt;script&gt;alert\(1\)&lt;\/script&gt;[^"]*"/);
    expect(html).toContain('data-chart-market="&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(html).not.toMatch(/="[^"]*"><img/);
  });

  test('the CSV defuses spreadsheet formulas and quotes commas', async () => {
    const d = openDashboard({ seed: { trades: [{ ...hostileSeed.trades[0]!, market: '=HYPERLINK("http://x","y")' }] } });
    const csv = await (await d.app.request('/trades.csv')).text();
    expect(csv).toContain(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csv).not.toMatch(/,=HYPERLINK/);
  });
});

describe('secrets', () => {
  test('a secret setting is shown only as set / not set, even when the read model hands over its value', async () => {
    const { html } = await openDashboard().get('/partials/settings', HX);
    expect(html).not.toContain('AIza-REAL-SECRET-VALUE');
    expect(html).toContain('GEMINI_API_KEY');
  });

  test('a key named like a secret is masked even when not flagged', async () => {
    const { html } = await openDashboard({ seed: { settings: [{ key: 'TELEGRAM_BOT_TOKEN', value: '123:abc-token', isSecret: false }] } }).get('/partials/settings', HX);
    expect(html).not.toContain('123:abc-token');
  });

  test('credentials inside a URL setting (user:pass@, ?authToken=) are not shown; the host is', async () => {
    const settings = [
      { key: 'DATABASE_URL', value: 'libsql://owner:db-pass-123@coin.turso.io/db?authToken=eyJhbGciOi.db-token-456.sig', isSecret: false },
      { key: 'TELEGRAM_API_ROOT', value: 'https://proxyuser:proxy-pass-789@tg.example', isSecret: false },
    ];
    const { html } = await openDashboard({ seed: { settings } }).get('/partials/settings', HX);
    for (const secret of ['db-pass-123', 'db-token-456', 'proxy-pass-789', 'proxyuser']) expect(html).not.toContain(secret);
    expect(html).toContain('libsql://coin.turso.io/db');
    expect(html).toContain('https://tg.example');
  });

  test('the password never appears on the login page or in a response', async () => {
    const d = openDashboard({ password: PASSWORD });
    const wrong = await d.app.request('/login', { method: 'POST', body: new URLSearchParams({ password: 'nope' }), headers: { ...SAME_ORIGIN, 'content-type': 'application/x-www-form-urlencoded' } });
    expect(wrong.status).toBe(401);
    const html = await wrong.text();
    expect(html).toContain('비밀번호가 틀렸습니다');
    expect(html).not.toContain(PASSWORD);
  });
});

describe('protection when a password is set', () => {
  const guarded = ['/', '/partials/positions', '/trades.csv', '/api/chart?market=KRW-BTC', '/api/pnl'];

  test('pages, partials, the CSV and chart data need a session; a page request is sent to /login', async () => {
    const d = openDashboard({ password: PASSWORD });
    for (const path of guarded) {
      const res = await d.app.request(path);
      expect([302, 401]).toContain(res.status);
    }
    const page = await d.app.request('/');
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe('/login');
  });

  test('an htmx poll without a session gets 401 with HX-Redirect to /login', async () => {
    const res = await openDashboard({ password: PASSWORD }).app.request('/partials/cards', { headers: HX });
    expect(res.status).toBe(401);
    expect(res.headers.get('hx-redirect')).toBe('/login');
  });

  test('actions need a session and reach no command without one', async () => {
    const d = openDashboard({ password: PASSWORD });
    expect((await d.post('/actions/sell-all', HX)).status).toBe(401);
    expect(d.bot.calls).toEqual([]);
  });

  test('after login the page, partials and CSV open', async () => {
    const d = openDashboard({ password: PASSWORD });
    const cookie = await loginCookie(d.app);
    for (const path of guarded) expect((await d.app.request(path, { headers: { cookie } })).status).toBe(200);
    expect((await d.get('/', { cookie })).html).toContain('action="/logout"');
  });

  test('GET /login shows the password form, and redirects home when no password is configured', async () => {
    const { res, html } = await openDashboard({ password: PASSWORD }).get('/login');
    expect(res.status).toBe(200);
    expect(html).toContain('<form method="post" action="/login"');
    expect(html).toContain('type="password"');
    expect((await openDashboard().get('/login')).res.status).toBe(302);
  });

  test('static files stay public so the login page is styled', async () => {
    const res = await openDashboard({ password: PASSWORD }).app.request('/static/app.css');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/css');
  });
});

describe('CSRF', () => {
  test('a forged cross-site POST to an action is refused before it reaches the bot', async () => {
    const d = openDashboard();
    for (const headers of [{ origin: 'https://evil.example' }, { 'sec-fetch-site': 'cross-site' }, {}] as Record<string, string>[]) {
      const res = await d.app.request('/actions/sell-all', { method: 'POST', headers: { ...HX, ...headers } });
      expect(res.status).toBe(403);
    }
    expect(d.bot.calls).toEqual([]);
  });

  test('a same-origin browser POST (Sec-Fetch-Site) passes', async () => {
    const d = openDashboard();
    const res = await d.app.request('/actions/pause', { method: 'POST', headers: { ...HX, 'sec-fetch-site': 'same-origin' } });
    expect(res.status).toBe(200);
    expect(d.bot.calls).toEqual(['pause:dashboard']);
  });
});
