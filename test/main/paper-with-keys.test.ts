// Upbit keys without TRADING_MODE=live stay paper (real money needs both), and the start says so in a warning:
// an owner who filled in the keys but forgot the mode must not believe the bot is trading for real.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { startApp } from '../../src/main.ts';
import { startSimulator, type Simulator } from '../../src/sim/server.ts';

let dir: string;
let sim: Simulator;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cb-paper-keys-'));
  sim = await startSimulator({ speed: 0, stepIntervalMs: 0, syntheticCount: 2, accessKey: 'demo-access', secretKey: 'demo-secret' });
});
afterAll(async () => {
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function startLines(env: Record<string, string>) {
  const lines: Array<{ level: string; msg: string }> = [];
  const logger = createLogger({ main: null, level: 'info', streams: [{ write: (l: string) => void lines.push(JSON.parse(l)) }] });
  const config = loadConfig({ UPBIT_REST_URL: sim.restUrl, UPBIT_WS_URL: sim.wsUrl, PORT: '0', DATABASE_URL: `file:${join(dir, `${lines.length}-${Math.random()}.db`)}`, ...env });
  const app = await startApp({ config, mode: config.TRADING_MODE as 'paper', logger });
  await app.stop('test over');
  return lines;
}

describe('Upbit keys in paper mode', () => {
  test('the start warns that the keys are not used and how to go live', async () => {
    const lines = await startLines({ UPBIT_ACCESS_KEY: 'ak-123456', UPBIT_SECRET_KEY: 'sk-123456' });
    const warning = lines.find((l) => l.level === 'warn' && l.msg.includes('TRADING_MODE=live'));
    expect(warning?.msg).toContain('PAPER');
    expect(JSON.stringify(lines)).not.toContain('sk-123456');
  });

  test('no such warning without keys', async () => {
    const lines = await startLines({});
    expect(lines.some((l) => l.msg.includes('TRADING_MODE=live'))).toBe(false);
  });
});
