// Without a password the dashboard is open on loopback only; a page reached under a foreign host name
// (DNS rebinding: evil.example resolving to 127.0.0.1) must not read or command the bot.
import { afterAll, describe, expect, test } from 'bun:test';
import { HX, openDashboard, PASSWORD } from './helpers.ts';

describe('host check without a password (DNS rebinding)', () => {
  test('a request under a foreign host name is refused, even same-origin to that name, and reaches no command', async () => {
    const d = openDashboard();
    const sameOriginToEvil = { origin: 'http://evil.example:8080', 'sec-fetch-site': 'same-origin' };
    const sell = await d.app.request('http://evil.example:8080/actions/sell-all', { method: 'POST', headers: { ...HX, ...sameOriginToEvil } });
    expect(sell.status).toBe(421);
    expect(await sell.text()).toContain('127.0.0.1');
    const page = await d.app.request('http://evil.example:8080/');
    expect(page.status).toBe(421);
    expect(await page.text()).not.toContain('KRW');
    expect((await d.app.request('http://evil.example:8080/api/status')).status).toBe(421);
    expect(d.bot.calls).toEqual([]);
  });

  test('loopback names pass: localhost, 127.0.0.1, [::1], with or without a port', async () => {
    const d = openDashboard();
    for (const origin of ['http://localhost', 'http://localhost:8080', 'http://127.0.0.1:8080', 'http://127.0.0.2:9000', 'http://[::1]:8080']) {
      expect((await d.app.request(`${origin}/partials/cards`, { headers: HX })).status).toBe(200);
    }
  });

  test('with a password any host name is served (behind a proxy or on the LAN), the session guarding it', async () => {
    const d = openDashboard({ password: PASSWORD });
    expect((await d.app.request('http://bot.example/login')).status).toBe(200);
    expect((await d.app.request('http://bot.example/')).status).toBe(302);
  });

  describe('over a real socket', () => {
    const d = openDashboard();
    const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: d.app.fetch });
    afterAll(() => server.stop(true));

    test('the Host header decides: a rebinding host is refused, 127.0.0.1 is served', async () => {
      const base = `http://127.0.0.1:${server.port}`;
      expect((await fetch(`${base}/api/status`, { headers: { host: 'evil.example' } })).status).toBe(421);
      expect((await fetch(`${base}/api/status`)).status).toBe(200);
    });
  });
});
