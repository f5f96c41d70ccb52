import { describe, expect, test } from 'bun:test';
import { createApp } from '../../src/web/app.ts';
import { createFakeBot } from '../fakes/fake-bot.ts';

const trade = (id: number, market: string) => ({
  id, market, entryPrice: 100, exitPrice: 103, volume: 1, entryCostKrw: 100, pnlKrw: 2.9, pnlRate: 0.029,
  openedAt: 1, closedAt: 2, exitReason: 'take-profit',
});

const open = (seed = {}) => {
  const bot = createFakeBot(seed);
  const app = createApp({ ...bot, auth: { password: null, apiToken: null, now: () => 0 } });
  return { app, bot };
};

describe('JSON API on loopback without a password', () => {
  test('GET /api/status reports mode, state and money figures', async () => {
    const res = await open().app.request('/api/status');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ mode: 'paper', state: 'running', krw: 1_000_000, maxPositions: 3 });
  });

  test('GET /api/trades pages and filters by market', async () => {
    const { app } = open({ trades: [trade(1, 'KRW-BTC'), trade(2, 'KRW-XRP'), trade(3, 'KRW-BTC')] });
    const body = (await (await app.request('/api/trades?market=KRW-BTC&limit=1&offset=1')).json()) as { items: { id: number }[]; total: number };
    expect(body.total).toBe(2);
    expect(body.items.map((t) => t.id)).toEqual([3]);
  });

  test('a bad query parameter gets 400 naming the parameter', async () => {
    const res = await open().app.request('/api/trades?limit=0&market=btc');
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: string };
    expect(error).toContain('limit');
    expect(error).toContain('market');
  });

  test('POST /api/bot/pause goes through the bot commands', async () => {
    const { app, bot } = open();
    const res = await app.request('/api/bot/pause', { method: 'POST', headers: { origin: 'http://localhost' } });
    expect(res.status).toBe(200);
    expect(bot.calls).toEqual(['pause:api']);
    expect(((await (await app.request('/api/status')).json()) as { state: string }).state).toBe('paused');
  });

  test('/healthz answers 200 with a fresh heartbeat and 503 when it is stale', async () => {
    expect((await open().app.request('/healthz')).status).toBe(200);
    const stale = await open({ status: { lastHeartbeatAt: 1_000, now: 1_000_000 } }).app.request('/healthz');
    expect(stale.status).toBe(503);
  });

  test('responses carry security headers', async () => {
    const res = await open().app.request('/api/status');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  });
});
