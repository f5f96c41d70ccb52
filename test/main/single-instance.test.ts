// One bot per database file, and a start that fails leaves nothing running: a second process on the same file
// (a second `bun run start`, a demo on the same port, an overlapping container) would trade the same account twice.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/db/client.ts';
import { outbox } from '../../src/db/schema.ts';
import { demoConfig } from '../../src/demo.ts';
import { silentLogger } from '../../src/log.ts';
import { startApp, type RunningApp } from '../../src/main.ts';
import { startSimulator, type Simulator } from '../../src/sim/server.ts';

let dir: string;
let sim: Simulator;
const running: RunningApp[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cb-single-'));
  sim = await startSimulator({ speed: 0, stepIntervalMs: 0, syntheticCount: 2, accessKey: 'demo-access', secretKey: 'demo-secret' });
});

afterAll(async () => {
  for (const app of running.splice(0)) await app.stop('test over');
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const configFor = (db: string, port = '0') => demoConfig({ PORT: port, DEMO_DATABASE_URL: `file:${join(dir, db)}` }, sim);
const start = async (db: string, port?: string) => {
  const app = await startApp({ config: configFor(db, port), mode: 'demo', clock: sim.clock, logger: silentLogger });
  running.push(app);
  return app;
};
const failure = (p: Promise<unknown>) => p.then(() => new Error('it started, but it should not have'), (e: Error) => e);

describe('one bot per database file', () => {
  test('a second start on the same file is refused while the first runs, and allowed once it stopped', async () => {
    const first = await start('shared.db');
    const err = await failure(startApp({ config: configFor('shared.db'), mode: 'demo', clock: sim.clock, logger: silentLogger }));
    expect(err.message).toContain('Another CoinButler is already using the database');
    expect(err.message).toContain('shared.db');
    expect((await fetch(`${first.url}/healthz`)).status).toBeLessThan(500);

    await first.stop('test');
    running.splice(running.indexOf(first), 1);
    const second = await start('shared.db');
    expect((await fetch(`${second.url}/healthz`)).status).toBeLessThan(500);
  });

  test('a port already in use stops the start before the bot does anything, and frees the database', async () => {
    const taken = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response('someone else') });
    try {
      const err = await failure(startApp({ config: configFor('port.db', String(taken.port)), mode: 'demo', clock: sim.clock, logger: silentLogger }));
      expect(err.message).toContain(`127.0.0.1:${taken.port}`);
      expect(err.message).toContain('PORT');
    } finally {
      taken.stop(true);
    }
    const h = await openDatabase(`file:${join(dir, 'port.db')}`);
    try {
      expect(await h.db.select().from(outbox)).toEqual([]); // no 'started' notification from the failed start
    } finally {
      h.close();
    }
    const app = await start('port.db');
    expect((await fetch(`${app.url}/healthz`)).status).toBeLessThan(500);
  });

  test('a stop whose bot step throws still stops the server and frees the database for the next start', async () => {
    const first = await start('stop-fails.db');
    running.splice(running.indexOf(first), 1);
    first.bot.stop = async () => {
      throw new Error('bot.stop failed');
    };
    await first.stop('test');
    expect(await fetch(`${first.url}/healthz`).then(() => 'answered', () => 'closed')).toBe('closed');
    const second = await start('stop-fails.db');
    expect((await fetch(`${second.url}/healthz`)).status).toBeLessThan(500);
  });
});

