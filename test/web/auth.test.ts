import { describe, expect, test } from 'bun:test';
import { createApp } from '../../src/web/app.ts';
import { createFakeBot } from '../fakes/fake-bot.ts';

const PASSWORD = 'correct horse battery';
const TOKEN = 'api-token-123456';

const protectedApp = (now = () => 1_000) =>
  createApp({ ...createFakeBot(), auth: { password: PASSWORD, apiToken: TOKEN, now } });

const login = (app: ReturnType<typeof protectedApp>, password: string, ip = '10.0.0.9') =>
  app.request('/login', {
    method: 'POST',
    body: new URLSearchParams({ password }),
    headers: { origin: 'http://localhost', 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': ip },
  });

describe('protection when a password is set', () => {
  test('the API refuses a request without credentials', async () => {
    expect((await protectedApp().request('/api/status')).status).toBe(401);
  });

  test('a bearer token opens the API and a wrong one does not', async () => {
    const app = protectedApp();
    expect((await app.request('/api/status', { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    expect((await app.request('/api/status', { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
  });

  test('a login sets an HttpOnly SameSite=Strict session cookie that opens the API', async () => {
    const app = protectedApp();
    const res = await login(app, PASSWORD);
    expect(res.status).toBe(302);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).not.toContain(PASSWORD);
    const session = cookie.split(';')[0]!;
    expect((await app.request('/api/status', { headers: { cookie: session } })).status).toBe(200);
  });

  test('a tampered or expired session cookie is refused', async () => {
    let now = 1_000;
    const app = protectedApp(() => now);
    const session = ((await login(app, PASSWORD)).headers.get('set-cookie') ?? '').split(';')[0]!;
    expect((await app.request('/api/status', { headers: { cookie: session.replace(/=\d/, '=9') } })).status).toBe(401);
    now += 8 * 24 * 3_600_000;
    expect((await app.request('/api/status', { headers: { cookie: session } })).status).toBe(401);
  });

  test('login attempts are rate-limited per client', async () => {
    const app = protectedApp();
    for (let i = 0; i < 5; i++) expect((await login(app, 'wrong')).status).toBe(401);
    expect((await login(app, PASSWORD)).status).toBe(429);
    expect((await login(app, PASSWORD, '10.0.0.10')).status).toBe(302);
  });

  test('a client cannot dodge the limit by writing its own X-Forwarded-For in front of the one the proxy adds', async () => {
    const app = protectedApp();
    // A proxy appends the address it saw; what comes before it is whatever the client sent.
    for (let i = 0; i < 5; i++) expect((await login(app, 'wrong', `203.0.113.${i}, 198.51.100.7`)).status).toBe(401);
    expect((await login(app, 'wrong', '203.0.113.99, 198.51.100.7')).status).toBe(429);
    expect((await login(app, PASSWORD, '203.0.113.1, 198.51.100.8')).status).toBe(302);
  });

  test('guessing with a fresh forged address each time still hits a limit on failures from everyone', async () => {
    const app = protectedApp();
    let locked = 0;
    for (let i = 0; i < 200; i++) if ((await login(app, `guess-${i}`, `192.0.2.${i % 250}-${i}`)).status === 429) locked += 1;
    expect(locked).toBeGreaterThan(0);
    expect(locked).toBeGreaterThanOrEqual(200 - 50);
  });

  test('a cross-site form POST is refused by the CSRF check', async () => {
    const res = await protectedApp().request('/login', {
      method: 'POST',
      body: new URLSearchParams({ password: PASSWORD }),
      headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(403);
  });

  test('/healthz stays open for monitors', async () => {
    expect((await protectedApp().request('/healthz')).status).toBe(200);
  });
});

describe('scripts with a bearer token', () => {
  test('a POST with the token and no browser headers passes; the same POST with a session cookie is CSRF-checked', async () => {
    const app = protectedApp();
    const byScript = await app.request('/api/bot/pause', { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(byScript.status).toBe(200);
    const session = ((await login(app, PASSWORD)).headers.get('set-cookie') ?? '').split(';')[0]!;
    const forged = await app.request('/api/bot/pause', {
      method: 'POST',
      body: 'x=1',
      headers: { cookie: session, origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(forged.status).toBe(403);
  });

  test('a wrong bearer token does not pass', async () => {
    const res = await protectedApp().request('/api/bot/pause', { method: 'POST', headers: { authorization: 'Bearer wrong' } });
    expect(res.status).toBe(401);
  });
});
