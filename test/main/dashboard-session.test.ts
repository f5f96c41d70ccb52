// The dashboard session key lives in the database: a restart keeps the owner signed in, and a logout made before a
// restart still refuses the old cookie after it (a copy of it included).
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { silentLogger } from '../../src/log.ts';
import { startApp } from '../../src/main.ts';
import { startSimulator, type Simulator } from '../../src/sim/server.ts';

const PASSWORD = 'session-pass-123';
let dir: string;
let sim: Simulator;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cb-session-'));
  sim = await startSimulator({ speed: 0, stepIntervalMs: 0, syntheticCount: 2 });
});
afterAll(async () => {
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Starts the bot on the same db, runs `use` against its URL, stops it. */
async function withApp<T>(use: (url: string) => Promise<T>): Promise<T> {
  const config = loadConfig({ UPBIT_REST_URL: sim.restUrl, UPBIT_WS_URL: sim.wsUrl, PORT: '0', DATABASE_URL: `file:${join(dir, 'bot.db')}`, DASHBOARD_PASSWORD: PASSWORD });
  const app = await startApp({ config, mode: 'paper', logger: silentLogger });
  try {
    return await use(app.url);
  } finally {
    await app.stop('test over');
  }
}

const post = (url: string, path: string, headers: Record<string, string>, body?: URLSearchParams) =>
  fetch(`${url}${path}`, { method: 'POST', redirect: 'manual', headers: { origin: url, ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...headers }, ...(body ? { body } : {}) });
const statusWith = async (url: string, cookie: string) => (await fetch(`${url}/api/status`, { headers: { cookie } })).status;

describe('dashboard sessions across restarts', () => {
  test('a session survives a restart; a logout survives one too', async () => {
    const cookie = await withApp(async (url) => {
      const res = await post(url, '/login', {}, new URLSearchParams({ password: PASSWORD }));
      expect(res.status).toBe(302);
      return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
    });
    await withApp(async (url) => {
      expect(await statusWith(url, cookie)).toBe(200);
      expect((await post(url, '/logout', { cookie })).status).toBe(302);
    });
    await withApp(async (url) => expect(await statusWith(url, cookie)).toBe(401));
  }, 30_000);
});
