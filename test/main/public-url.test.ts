// bun run start with PUBLIC_URL: behind a TLS proxy a login from the public origin passes CSRF without Sec-Fetch-Site,
// and the session cookie is Secure. Without the wiring every such login and action was a silent 403.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { silentLogger } from '../../src/log.ts';
import { startApp, type RunningApp } from '../../src/main.ts';
import { startSimulator, type Simulator } from '../../src/sim/server.ts';

const PASSWORD = 'proxy-pass-123';
let dir: string;
let sim: Simulator;
let app: RunningApp;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cb-public-url-'));
  sim = await startSimulator({ speed: 0, stepIntervalMs: 0, syntheticCount: 2 });
  const config = loadConfig({
    UPBIT_REST_URL: sim.restUrl, UPBIT_WS_URL: sim.wsUrl, PORT: '0', DATABASE_URL: `file:${join(dir, 'bot.db')}`,
    DASHBOARD_PASSWORD: PASSWORD, PUBLIC_URL: 'https://bot.example',
  });
  app = await startApp({ config, mode: 'paper', logger: silentLogger });
});
afterAll(async () => {
  await app?.stop('test over');
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('PUBLIC_URL reaches the dashboard', () => {
  test('a login posted from https://bot.example (no Sec-Fetch-Site) is accepted and gets a Secure cookie', async () => {
    const res = await fetch(`${app.url}/login`, {
      method: 'POST',
      redirect: 'manual',
      body: new URLSearchParams({ password: PASSWORD }),
      headers: { origin: 'https://bot.example', 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(302);
    expect(res.headers.get('set-cookie')).toContain('Secure');
  });
});
