// Shared setup for dashboard route tests: an app over the fake bot with the seeded dashboard state.
import { createApp, type AppDeps } from '../../src/web/app.ts';
import { dashboardSeed, SEED_NOW } from '../fakes/dashboard-seed.ts';
import { createFakeBot, type FakeBotSeed } from '../fakes/fake-bot.ts';

export const PASSWORD = 'correct horse battery';
export const HX = { 'hx-request': 'true' };
export const SAME_ORIGIN = { origin: 'http://localhost' };

export function openDashboard(opts: { seed?: Partial<FakeBotSeed>; password?: string; locale?: AppDeps['locale'] } = {}) {
  const bot = createFakeBot(dashboardSeed(opts.seed));
  const app = createApp({
    ...bot,
    auth: { password: opts.password ?? null, apiToken: null, now: () => SEED_NOW },
    ...(opts.locale ? { locale: opts.locale } : {}),
  });
  const get = async (path: string, headers: Record<string, string> = {}) => {
    const res = await app.request(path, { headers });
    return { res, html: await res.text() };
  };
  const post = (path: string, headers: Record<string, string> = {}) => app.request(path, { method: 'POST', headers: { ...SAME_ORIGIN, ...headers } });
  return { app, bot, get, post };
}

/** The session cookie after a successful login. */
export async function loginCookie(app: ReturnType<typeof openDashboard>['app']): Promise<string> {
  const res = await app.request('/login', {
    method: 'POST',
    body: new URLSearchParams({ password: PASSWORD }),
    headers: { ...SAME_ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
  });
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}
