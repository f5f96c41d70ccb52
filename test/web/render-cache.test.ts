// The render cache: pollers within the window share one rendering; an owner's action, other parameters, another
// locale, htmx vs full page and signing in each keep their own; auth always runs first.
import { describe, expect, test } from 'bun:test';
import { Hono } from 'hono';
import type { DashboardQueries } from '../../src/bot/view.ts';
import { createApp } from '../../src/web/app.ts';
import { createI18n } from '../../src/web/i18n.ts';
import { createPages } from '../../src/web/pages.tsx';
import { createRenderCache } from '../../src/web/render-cache.ts';
import { dashboardSeed, SEED_NOW } from '../fakes/dashboard-seed.ts';
import { createFakeBot, type FakeBotSeed } from '../fakes/fake-bot.ts';
import { HX, loginCookie, PASSWORD, SAME_ORIGIN } from './helpers.ts';

/** Counts every read the views make: a rendering of a region reads its data once. */
function counted(queries: DashboardQueries) {
  const reads: Record<string, number> = {};
  const wrapped = Object.fromEntries(
    Object.entries(queries).map(([name, fn]) => [name, (...args: unknown[]) => {
      reads[name] = (reads[name] ?? 0) + 1;
      return (fn as (...a: unknown[]) => unknown)(...args);
    }]),
  ) as unknown as DashboardQueries;
  return { wrapped, reads };
}

function open(opts: { password?: string; seed?: Partial<FakeBotSeed> } = {}) {
  const bot = createFakeBot(dashboardSeed(opts.seed));
  const { wrapped, reads } = counted(bot.queries);
  const clock = { t: SEED_NOW, now: () => clock.t };
  const app = createApp({ queries: wrapped, commands: bot.commands, clock, auth: { password: opts.password ?? null, apiToken: 'tok', now: () => SEED_NOW } });
  const get = async (path: string, headers: Record<string, string> = {}) => (await app.request(path, { headers })).text();
  const post = (path: string, headers: Record<string, string> = {}) => app.request(path, { method: 'POST', headers: { ...SAME_ORIGIN, ...headers } });
  return { app, bot, reads, clock, get, post };
}

describe('render cache', () => {
  test('two polls within the window render once; after the window the region renders again', async () => {
    const d = open();
    const first = await d.get('/partials/logs', HX);
    const second = await d.get('/partials/logs', HX);
    expect(second).toBe(first);
    expect(d.reads.events).toBe(1);
    d.clock.t += 999;
    await d.get('/partials/logs', HX);
    expect(d.reads.events).toBe(1);
    d.clock.t += 1;
    await d.get('/partials/logs', HX);
    expect(d.reads.events).toBe(2);
  });

  test('fifty polls arriving together share one rendering', async () => {
    const d = open();
    const bodies = await Promise.all(Array.from({ length: 50 }, () => d.get('/partials/trades?page=1', HX)));
    expect(new Set(bodies).size).toBe(1);
    expect(d.reads.trades).toBe(1);
    expect(d.reads.tradeStats).toBe(1);
  });

  test('a dashboard action clears it: the next poll shows the state after the command', async () => {
    const d = open();
    expect(await d.get('/partials/status', HX)).toContain('data-state="running"');
    expect(await d.get('/partials/cards', HX)).toContain('id="cards"');
    const res = await d.post('/actions/pause', HX);
    expect(res.status).toBe(200);
    expect(await d.get('/partials/status', HX)).toContain('data-state="paused"');
    const cardReads = d.reads.adviserQuota;
    await d.get('/partials/cards', HX);
    expect(d.reads.adviserQuota).toBe(cardReads! + 1);
  });

  test('a command through the JSON API clears it too', async () => {
    const d = open();
    expect(await d.get('/partials/status', HX)).toContain('data-state="running"');
    const res = await d.app.request('/api/bot/pause', { method: 'POST', headers: { authorization: 'Bearer tok' } });
    expect(res.status).toBe(200);
    expect(await d.get('/partials/status', HX)).toContain('data-state="paused"');
  });

  test('a poll rendering while the command runs is not kept for later polls', async () => {
    const bot = createFakeBot(dashboardSeed());
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    let isFirst = true;
    const queries: DashboardQueries = {
      ...bot.queries,
      status: async () => {
        const s = await bot.queries.status(); // read before the command
        if (isFirst) {
          isFirst = false;
          await gate;
        }
        return s;
      },
    };
    const app = createApp({ queries, commands: bot.commands, clock: { now: () => SEED_NOW }, auth: { password: null, apiToken: null, now: () => SEED_NOW } });
    const slow = app.request('/partials/status', { headers: HX });
    await app.request('/actions/pause', { method: 'POST', headers: { ...SAME_ORIGIN, ...HX } });
    release();
    expect(await (await slow).text()).toContain('data-state="running"');
    expect(await (await app.request('/partials/status', { headers: HX })).text()).toContain('data-state="paused"');
  });

  test('other query parameters are other entries; spellings of the same parameters share one', async () => {
    const d = open();
    const all = await d.get('/partials/logs', HX);
    const warn = await d.get('/partials/logs?level=warn', HX);
    expect(warn).not.toBe(all);
    expect(d.reads.events).toBe(2);
    await d.get('/partials/logs?level=warn&junk=1', HX);
    expect(d.reads.events).toBe(2);
    const btc = await d.get('/partials/trades?market=KRW-BTC', HX);
    expect(await d.get('/partials/trades?market=krw-btc&page=1', HX)).toBe(btc);
    expect(d.reads.trades).toBe(1);
    await d.get('/partials/trades?market=KRW-BTC&page=2', HX);
    expect(d.reads.trades).toBe(2);
  });

  test('htmx fragment and full page are separate entries', async () => {
    const d = open();
    const fragment = await d.get('/partials/logs', HX);
    const page = await d.get('/partials/logs');
    expect(fragment).not.toContain('<html');
    expect(page).toStartWith('<!DOCTYPE html>');
    expect(await d.get('/partials/logs', HX)).toBe(fragment);
  });

  test('locales are separate entries even in one shared cache', async () => {
    const bot = createFakeBot(dashboardSeed());
    const cache = createRenderCache({ now: () => SEED_NOW });
    const appFor = (locale: 'ko' | 'en') => new Hono().route('/', createPages({ queries: bot.queries, i18n: createI18n(locale), isAuthRequired: false, cache }));
    const ko = await (await appFor('ko').request('/partials/status', { headers: HX })).text();
    const en = await (await appFor('en').request('/partials/status', { headers: HX })).text();
    expect(en).not.toBe(ko);
    expect(en).toContain('Pause');
    expect(ko).not.toContain('Pause');
  });

  test('chart and PnL JSON are shared in the window, per parameters, and answer as before', async () => {
    const d = open();
    const a = await d.app.request('/api/chart?market=KRW-BTC');
    expect(a.headers.get('content-type')).toStartWith('application/json');
    const body = await a.json();
    expect(await (await d.app.request('/api/chart?market=KRW-BTC')).json()).toEqual(body);
    expect(d.reads.chart).toBe(1);
    await d.app.request('/api/chart?market=KRW-BTC&limit=50');
    expect(d.reads.chart).toBe(2);
    await d.app.request('/api/pnl?days=30');
    await d.app.request('/api/pnl?days=30');
    expect(d.reads.dailyPnl).toBe(1);
    await d.app.request('/api/pnl?days=7');
    expect(d.reads.dailyPnl).toBe(2);
    expect((await d.app.request('/api/chart?market=nope')).status).toBe(400);
  });

  test('auth runs before the cache: a region a signed-in owner just loaded is never served without a session', async () => {
    const d = open({ password: PASSWORD });
    const cookie = await loginCookie(d.app);
    expect(await d.get('/partials/positions', { ...HX, cookie })).toContain('KRW-BTC');
    for (const path of ['/partials/positions', '/', '/api/chart?market=KRW-BTC', '/api/pnl?days=30']) {
      const res = await d.app.request(path, { headers: HX });
      expect(res.status).toBe(401);
      expect(await res.text()).not.toContain('KRW-BTC');
    }
  });

  test('a forged or unauthenticated POST does not clear it', async () => {
    const d = open({ password: PASSWORD });
    const cookie = await loginCookie(d.app);
    await d.get('/partials/logs', { ...HX, cookie });
    expect((await d.post('/actions/pause', HX)).status).toBe(401);
    expect((await d.app.request('/actions/pause', { method: 'POST', headers: { ...HX, cookie, origin: 'http://evil.example' } })).status).toBe(403);
    await d.get('/partials/logs', { ...HX, cookie });
    expect(d.reads.events).toBe(1);
  });
});
