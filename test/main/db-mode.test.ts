// A database belongs to one mode: a paper db started LIVE (or a live one started PAPER) is refused in one line and
// left as it was, so paper positions are never reconciled against, and sold from, the owner's real Upbit account.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { loadConfig } from '../../src/config.ts';
import { demoConfig } from '../../src/demo.ts';
import { silentLogger } from '../../src/log.ts';
import { startApp } from '../../src/main.ts';
import { startSimulator, type Simulator } from '../../src/sim/server.ts';
import { journal, openOlderDb } from '../helpers/older-release.ts';

/** The release before databases were stamped with their mode. */
const LEGACY = journal.entries.findIndex((e) => e.tag.startsWith('0006_')) + 1;
const OPEN_BTC = `INSERT INTO positions (market, state, volume, entry_price, entry_cost_krw, opened_at, created_at) VALUES ('KRW-BTC', 'open', 0.001, 100000000, 100000, 1, 1)`;
const PAPER_KRW_ROW = `INSERT INTO paper_balances (currency, free, locked, avg_buy_price, updated_at) VALUES ('KRW', 900000, 0, 0, 1)`;
const BTC_ORDER = `INSERT INTO orders (identifier, market, side, kind, purpose, position_id, amount_krw, state, created_at, updated_at) VALUES ('cb-old-1', 'KRW-BTC', 'buy', 'market', 'entry', 1, 100000, 'done', 1, 1)`;

let dir: string;
let sim: Simulator;
let n = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cb-db-mode-'));
  sim = await startSimulator({ speed: 0, stepIntervalMs: 0, syntheticCount: 2, accessKey: 'demo-access', secretKey: 'demo-secret' });
});
afterAll(async () => {
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const newDbPath = () => join(dir, `bot-${++n}.db`);

function configFor(mode: 'paper' | 'live', path: string) {
  return loadConfig({
    TRADING_MODE: mode,
    UPBIT_ACCESS_KEY: 'demo-access',
    UPBIT_SECRET_KEY: 'demo-secret',
    UPBIT_REST_URL: sim.restUrl,
    UPBIT_WS_URL: sim.wsUrl,
    PORT: '0',
    DATABASE_URL: `file:${path}`,
  });
}

/** Starts and stops the bot; resolves with null, or with the error a refused start threw. */
async function startStop(mode: 'paper' | 'live', path: string): Promise<Error | null> {
  try {
    const app = await startApp({ config: configFor(mode, path), mode, logger: silentLogger });
    await app.stop('test over');
    return null;
  } catch (err) {
    return err as Error;
  }
}

async function query(path: string, sql: string) {
  const c = createClient({ url: `file:${path}` });
  try {
    return (await c.execute(sql)).rows;
  } finally {
    c.close();
  }
}

const stampOf = async (path: string) => (await query(path, 'SELECT mode FROM database_mode')).map((r) => r.mode);
const bytesOf = (path: string) => Bun.hash(readFileSync(path)).toString();

describe('a database keeps the mode it was started in', () => {
  test('a paper db started LIVE is refused in one line naming both modes, and nothing in it changes', async () => {
    const path = newDbPath();
    expect(await startStop('paper', path)).toBeNull();
    await query(path, OPEN_BTC); // a paper position still open: live would reconcile it against the real account
    const before = bytesOf(path);

    const err = await startStop('live', path);
    expect(err?.message).toContain(`This database (${path}) holds PAPER trading`);
    expect(err?.message).toContain('LIVE');
    expect(err?.message).toContain('DATABASE_URL');
    expect(err?.message).not.toContain('\n');
    expect(bytesOf(path)).toBe(before);
    expect(await stampOf(path)).toEqual(['paper']);
    expect((await query(path, "SELECT state FROM positions WHERE market = 'KRW-BTC'")).map((r) => r.state)).toEqual(['open']);
    expect(await query(path, 'SELECT id FROM orders')).toEqual([]);
  });

  test('a live db started PAPER is refused, and live can start on it again', async () => {
    const path = newDbPath();
    expect(await startStop('live', path)).toBeNull();
    expect(await stampOf(path)).toEqual(['live']);
    const before = bytesOf(path);

    const err = await startStop('paper', path);
    expect(err?.message).toContain('holds LIVE trading');
    expect(err?.message).toContain('PAPER');
    expect(bytesOf(path)).toBe(before);
    expect(await query(path, 'SELECT currency FROM paper_balances')).toEqual([]);
    expect(await startStop('live', path)).toBeNull();
  });

  test('a db from before the stamp with paper balances is taken as paper: live refused, paper goes on', async () => {
    const path = newDbPath();
    const old = await openOlderDb(dir, `file:${path}`, LEGACY);
    await old.batch([PAPER_KRW_ROW, OPEN_BTC]);
    old.close();
    const before = bytesOf(path);

    expect((await startStop('live', path))?.message).toContain('holds PAPER trading');
    expect(bytesOf(path)).toBe(before);
    expect(await startStop('paper', path)).toBeNull();
    expect(await stampOf(path)).toEqual(['paper']);
  });

  test('a db from before the stamp with orders but no paper rows is taken as live: paper refused', async () => {
    const path = newDbPath();
    const old = await openOlderDb(dir, `file:${path}`, LEGACY);
    await old.batch([OPEN_BTC, BTC_ORDER]);
    old.close();

    expect((await startStop('paper', path))?.message).toContain('holds LIVE trading');
    expect(await query(path, 'SELECT currency FROM paper_balances')).toEqual([]);
    expect(await startStop('live', path)).toBeNull();
    expect(await stampOf(path)).toEqual(['live']);
  });

  test('an empty db from before the stamp takes the mode it is started in', async () => {
    const path = newDbPath();
    (await openOlderDb(dir, `file:${path}`, LEGACY)).close();
    expect(await startStop('live', path)).toBeNull();
    expect(await stampOf(path)).toEqual(['live']);
  });

  test('a demo db is stamped demo, and paper is refused on it', async () => {
    const path = newDbPath();
    const config = demoConfig({ PORT: '0', DEMO_DATABASE_URL: `file:${path}` }, sim);
    const app = await startApp({ config, mode: 'demo', clock: sim.clock, logger: silentLogger });
    await app.stop('test over');
    expect(await stampOf(path)).toEqual(['demo']);
    expect((await startStop('paper', path))?.message).toContain('holds DEMO trading');
  });
});
