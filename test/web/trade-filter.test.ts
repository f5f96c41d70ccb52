// The trade filter's market as people type it, and a market that is no code: named, never silently "all markets".
import { describe, expect, test } from 'bun:test';
import { HX, openDashboard } from './helpers.ts';

describe('trade filter market', () => {
  test('"btc" and " krw-btc " mean KRW-BTC, like the Telegram commands', async () => {
    const d = openDashboard();
    for (const typed of ['btc', '%20krw-btc%20']) {
      const { html } = await d.get(`/partials/trades?market=${typed}`, HX);
      expect(html).toContain('hx-get="/partials/trades?market=KRW-BTC"');
      expect(html).not.toContain('KRW-SOL');
    }
  });

  test('a market that is no code is named in the trades region, which shows no trades (not all of them), also in its next poll', async () => {
    const d = openDashboard({ locale: 'en' });
    const { res, html } = await d.get('/partials/trades?market=BTC%2FKRW', HX);
    expect(res.status).toBe(200);
    expect(html).toContain('Market &quot;BTC/KRW&quot;');
    expect(html).not.toContain('KRW-SOL');
    expect(html).toContain('hx-get="/partials/trades?market=BTC%2FKRW"');
    const page = await d.get('/?market=BTC%2FKRW');
    expect(page.html).toContain('value="BTC/KRW"');
    expect(page.html).toContain('Market &quot;BTC/KRW&quot;');
  });

  test('the CSV of a market that is no code is 400 naming the field, not every trade', async () => {
    const res = await openDashboard().app.request('/trades.csv?market=BTC%2FKRW');
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('market');
    const ok = await openDashboard().app.request('/trades.csv?market=btc');
    expect(ok.status).toBe(200);
    const csv = await ok.text();
    expect(csv).toContain('KRW-BTC');
    expect(csv).not.toContain('KRW-SOL');
  });
});
