// PUBLIC_URL: behind a TLS reverse proxy the app sees http://127.0.0.1:PORT while the browser is at https://bot.example;
// a browser that sends no Sec-Fetch-Site must still pass CSRF by its Origin, and the setting is checked at start.
import { describe, expect, test } from 'bun:test';
import { loadConfig } from '../../src/config.ts';
import { configErrorOf as messageOf } from '../helpers/config-error.ts';
import { createApp } from '../../src/web/app.ts';
import { createFakeBot } from '../fakes/fake-bot.ts';
import { PASSWORD } from './helpers.ts';

const PUBLIC = 'https://bot.example';
const BEHIND_PROXY = 'http://127.0.0.1:8080';

describe('PUBLIC_URL setting', () => {
  test('is optional, and an http(s) origin is kept as the origin (a trailing slash dropped)', () => {
    expect(loadConfig({}).PUBLIC_URL).toBeUndefined();
    expect(loadConfig({ PUBLIC_URL: 'https://Bot.Example/', DASHBOARD_PASSWORD: 'pw-123456' }).PUBLIC_URL).toBe('https://bot.example');
    expect(loadConfig({ PUBLIC_URL: 'http://pi.local:8443', DASHBOARD_PASSWORD: 'pw-123456' }).PUBLIC_URL).toBe('http://pi.local:8443');
  });

  test('anything but a bare http(s) origin is refused by name, with what it must be', () => {
    for (const bad of ['bot.example', 'ftp://bot.example', 'https://bot.example/dashboard', 'https://bot.example/?x=1', 'https://user:pw@bot.example']) {
      const m = messageOf({ PUBLIC_URL: bad, DASHBOARD_PASSWORD: 'pw-123456' });
      expect(m).toContain('PUBLIC_URL=');
      expect(m).toContain('https://bot.example');
      expect(m).not.toContain(':pw@');
    }
  });

  test('a public address beyond loopback needs DASHBOARD_PASSWORD, as HOST does', () => {
    expect(messageOf({ PUBLIC_URL: PUBLIC })).toContain('DASHBOARD_PASSWORD');
    expect(loadConfig({ PUBLIC_URL: 'http://localhost:9000' }).PUBLIC_URL).toBe('http://localhost:9000');
  });
});

describe('CSRF behind a proxy', () => {
  const app = () => createApp({ ...createFakeBot(), auth: { password: PASSWORD, apiToken: null, now: () => 1_000 }, publicOrigin: PUBLIC });
  const login = (a: ReturnType<typeof app>, headers: Record<string, string>) =>
    a.request(`${BEHIND_PROXY}/login`, {
      method: 'POST',
      body: new URLSearchParams({ password: PASSWORD }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    });

  test('a login from the public origin without Sec-Fetch-Site passes; a foreign origin is still refused', async () => {
    const a = app();
    expect((await login(a, { origin: PUBLIC })).status).toBe(302);
    expect((await login(a, { origin: 'https://evil.example' })).status).toBe(403);
  });

  test('the local address (an ssh tunnel to 127.0.0.1) still passes by its own origin', async () => {
    expect((await login(app(), { origin: BEHIND_PROXY })).status).toBe(302);
  });
});
