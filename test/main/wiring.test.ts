// startApp wires Telegram and Gemini when their variables are set, in the demo too (issue 5): through the
// SDKs' base-URL options to local fakes, never the internet.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoConfig } from '../../src/demo.ts';
import { silentLogger } from '../../src/log.ts';
import { startApp, type RunningApp } from '../../src/main.ts';
import { startSimulator, type Simulator } from '../../src/sim/server.ts';
import { startFakeGemini, type FakeGemini } from '../fakes/fake-gemini.ts';
import { createFakeTelegram, type FakeTelegram } from '../fakes/fake-telegram.ts';

const CHAT_ID = 4242;
let dir: string;
let sim: Simulator;
let telegram: FakeTelegram;
let gemini: FakeGemini;
let app: RunningApp;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cb-wiring-'));
  sim = await startSimulator({ speed: 0, stepIntervalMs: 0, syntheticCount: 2, accessKey: 'demo-access', secretKey: 'demo-secret' });
  telegram = createFakeTelegram();
  gemini = startFakeGemini();
  const config = demoConfig(
    {
      PORT: '0',
      LOCALE: 'en',
      DEMO_DATABASE_URL: `file:${join(dir, 'demo.db')}`,
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_CHAT_ID: String(CHAT_ID),
      TELEGRAM_API_ROOT: telegram.apiRoot,
      GEMINI_API_KEY: 'fake-gemini-key',
      GEMINI_BASE_URL: gemini.url,
    },
    sim,
  );
  app = await startApp({ config, mode: 'demo', clock: sim.clock, logger: silentLogger });
});

afterAll(async () => {
  await app?.stop('test over');
  await telegram?.close();
  await gemini?.stop();
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('startApp with Telegram and Gemini configured', () => {
  test('the start notification reaches Telegram with the DEMO badge', async () => {
    await telegram.waitFor('sendMessage', 1, 15_000);
    const texts = telegram.sent.map((m) => String(m.text));
    expect(texts.some((t) => t.includes('DEMO') && t.toLowerCase().includes('start'))).toBe(true);
    expect(telegram.sent.every((m) => String(m.chat_id) === String(CHAT_ID))).toBe(true);
  });

  test('/status from the owner chat is answered through the same bot queries', async () => {
    const before = telegram.sent.length;
    telegram.pushMessage(CHAT_ID, '/status');
    await telegram.waitFor('sendMessage', before + 1, 15_000);
    const reply = String(telegram.sent.at(-1)?.text);
    expect(reply).toContain('DEMO');
  });

  test('the Gemini adviser is the one in use', async () => {
    expect(await app.bot.queries.adviserQuota()).toMatchObject({ adviser: 'gemini', isEnabled: true });
  });
});
