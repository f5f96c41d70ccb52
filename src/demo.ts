// `bun run demo`: the built-in Upbit simulator in-process on an accelerated clock, and the bot against it through
// the real Upbit adapter over 127.0.0.1 — the whole live order path with fake money. Mode DEMO.
import { existsSync, rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from './config.ts';
import { fetchDatabaseModeAt } from './db/db-mode.ts';
import { databaseFilePath } from './db/database-file.ts';
import { lockDatabase, type DatabaseLock } from './db/instance-lock.ts';
import { startApp, startFailure, stopOnSignals, type RunningApp } from './main.ts';
import { startSimulator, type Simulator } from './sim/server.ts';

const DEMO_ACCESS_KEY = 'demo-access';
const DEMO_SECRET_KEY = 'demo-secret';

export type DemoOptions = { speed: number; seed: number; synthetic: number; krw: number; isFreshDb: boolean };

export function parseDemoArgs(args: string[]): DemoOptions {
  const { values } = parseArgs({
    args,
    options: {
      speed: { type: 'string', default: '60' },
      seed: { type: 'string', default: '1' },
      synthetic: { type: 'string', default: '120' },
      krw: { type: 'string', default: '1000000' },
      'keep-db': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const num = (name: string, v: string, min: number) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number ≥ ${min}, got "${v}"`);
    return n;
  };
  return {
    speed: num('speed', values.speed, 1),
    seed: num('seed', values.seed, 0),
    synthetic: num('synthetic', values.synthetic, 0),
    krw: num('krw', values.krw, 5_000),
    isFreshDb: !values['keep-db'],
  };
}

/** The demo's config: the environment's settings, with the exchange pointed at the simulator and its own db file. */
export function demoConfig(env: Record<string, string | undefined>, sim: Pick<Simulator, 'restUrl' | 'wsUrl'>): Config {
  const port = env.PORT?.trim() || '8080';
  return loadConfig({
    ...env,
    TRADING_MODE: 'demo',
    UPBIT_REST_URL: sim.restUrl,
    UPBIT_WS_URL: sim.wsUrl,
    UPBIT_ACCESS_KEY: DEMO_ACCESS_KEY,
    UPBIT_SECRET_KEY: DEMO_SECRET_KEY,
    DATABASE_URL: env.DEMO_DATABASE_URL?.trim() || `file:./data/demo-${port}.db`,
  });
}

/**
 * Whether the demo may delete the db at `path` to start afresh: a demo db, an empty one, or (its own default file)
 * one from before the mode stamp. A DEMO_DATABASE_URL naming a paper or live db is left alone, and the start refuses it.
 */
async function isDemoOwned(url: string, path: string, isOwnFile: boolean): Promise<boolean> {
  if (!existsSync(path)) return true;
  const mode = await fetchDatabaseModeAt(url).catch(() => null);
  if (mode === null) return isOwnFile; // not a database it can read: its own file is replaced as before
  return mode.stamped === 'demo' || (mode.stamped === null && (isOwnFile || mode.inferred === null));
}

export async function runDemo(args: string[]): Promise<number> {
  let o: DemoOptions;
  try {
    o = parseDemoArgs(args);
  } catch (err) {
    console.error(`coinbutler demo: ${(err as Error).message}`);
    return 2;
  }
  const sim = await startSimulator({ speed: o.speed, seed: o.seed, syntheticCount: o.synthetic, krw: o.krw, accessKey: DEMO_ACCESS_KEY, secretKey: DEMO_SECRET_KEY });
  let config: Config;
  try {
    config = demoConfig(process.env, sim);
  } catch (err) {
    console.error((err as Error).message);
    await sim.stop();
    return 2;
  }
  const fail = async (err: unknown) => {
    console.error(startFailure(err, config));
    await sim.stop();
    return 1;
  };
  // The simulator starts from scratch every run, so the demo's db does too (--keep-db to keep it); never the db
  // of a bot still using it (a second demo on the same PORT).
  const path = databaseFilePath(config.DATABASE_URL);
  if (o.isFreshDb && path !== null) {
    let lock: DatabaseLock;
    try {
      lock = lockDatabase(config.DATABASE_URL);
    } catch (err) {
      return fail(err);
    }
    if (await isDemoOwned(config.DATABASE_URL, path, !process.env.DEMO_DATABASE_URL?.trim())) {
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
    }
    lock.release();
  }
  let app: RunningApp;
  try {
    app = await startApp({ config, mode: 'demo', clock: sim.clock, speed: o.speed });
  } catch (err) {
    return fail(err);
  }
  console.log(`\nCoinButler DEMO — simulator ${sim.restUrl} at ${o.speed}× speed (fake money)\nDashboard: ${app.url}\n`);
  await stopOnSignals(app, () => sim.stop());
  return 0;
}
