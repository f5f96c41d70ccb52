// Sessions end on the server: a logout refuses every cookie issued before it (a copied one too), even after a restart,
// and a changed DASHBOARD_PASSWORD refuses them as well; a restart alone keeps the owner signed in.
import { describe, expect, test } from 'bun:test';
import { createApp } from '../../src/web/app.ts';
import type { SessionKeyStore } from '../../src/web/auth.ts';
import { createFakeBot } from '../fakes/fake-bot.ts';
import { PASSWORD, SAME_ORIGIN } from './helpers.ts';

/** The db's part, in memory: what a restart keeps. */
function memoryStore(): SessionKeyStore & { saved: string[] } {
  const saved: string[] = [];
  return { saved, load: async () => saved.at(-1) ?? null, save: async (key) => void saved.push(key) };
}

const start = (store: SessionKeyStore, password = PASSWORD) =>
  createApp({ ...createFakeBot(), auth: { password, apiToken: null, now: () => 1_000, sessionKeys: store } });
type App = ReturnType<typeof start>;

async function login(app: App, password = PASSWORD): Promise<string> {
  const res = await app.request('/login', {
    method: 'POST',
    body: new URLSearchParams({ password }),
    headers: { ...SAME_ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
  });
  expect(res.status).toBe(302);
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}
const statusWith = async (app: App, cookie: string) => (await app.request('/api/status', { headers: { cookie } })).status;
const logout = (app: App, cookie?: string) => app.request('/logout', { method: 'POST', headers: { ...SAME_ORIGIN, ...(cookie ? { cookie } : {}) } });

describe('dashboard sessions', () => {
  test('after a logout the same cookie, copied elsewhere, no longer opens anything', async () => {
    const app = start(memoryStore());
    const cookie = await login(app);
    const copy = cookie;
    expect(await statusWith(app, copy)).toBe(200);
    const out = await logout(app, cookie);
    expect(out.status).toBe(302);
    expect(out.headers.get('location')).toBe('/login');
    expect(await statusWith(app, copy)).toBe(401);
    // A new login works as before.
    expect(await statusWith(app, await login(app))).toBe(200);
  });

  test('a logout ends every session signed in before it (another browser too)', async () => {
    const app = start(memoryStore());
    const phone = await login(app);
    const laptop = await login(app);
    await logout(app, laptop);
    expect(await statusWith(app, phone)).toBe(401);
  });

  test('a logout without a valid session ends nobody else\'s session', async () => {
    const app = start(memoryStore());
    const cookie = await login(app);
    await logout(app);
    await logout(app, 'cb_session=forged');
    expect(await statusWith(app, cookie)).toBe(200);
  });

  test('a restart keeps a session; a logout before the restart stays in force after it', async () => {
    const store = memoryStore();
    const cookie = await login(start(store));
    expect(await statusWith(start(store), cookie)).toBe(200);
    await logout(start(store), cookie);
    expect(await statusWith(start(store), cookie)).toBe(401);
  });

  test('a changed DASHBOARD_PASSWORD refuses the sessions of the old one', async () => {
    const store = memoryStore();
    const cookie = await login(start(store));
    expect(await statusWith(start(store, 'a brand new password'), cookie)).toBe(401);
    expect(await statusWith(start(store), cookie)).toBe(200);
  });

  test('the stored key is random, not derived from the password (a stolen cookie gives no offline check of guesses)', async () => {
    const a = memoryStore();
    const b = memoryStore();
    await login(start(a));
    await login(start(b));
    expect(a.saved[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(a.saved[0]).not.toBe(b.saved[0]);
  });
});
