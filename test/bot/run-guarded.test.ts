import { beforeEach, describe, expect, test } from 'bun:test';
import { createLogOnce } from '../../src/bot/log-once.ts';
import { classifyError, createRunGuarded } from '../../src/bot/run-guarded.ts';
import { createBotState } from '../../src/bot/state.ts';
import type { BotStateRepo } from '../../src/db/repos/bot-state.ts';
import type { NewEvent } from '../../src/db/repos/events.ts';
import {
  AuthFailed,
  InsufficientFunds,
  IpNotAllowed,
  MarketOffline,
  OutOfScope,
  RateLimited,
  Timeout,
  Unavailable,
} from '../../src/exchange/errors.ts';
import { createLogger, silentLogger } from '../../src/log.ts';
import type { BotEvent, HaltCode } from '../../src/notify/events.ts';

const clock = { t: 0, now() { return this.t; } };
const boom = (err: unknown) => async (): Promise<never> => {
  throw err;
};

describe('classifyError()', () => {
  test('maps each family to its action', () => {
    expect(classifyError(new RateLimited('429', { retryAfterMs: 60_000 }), 0, 3)).toEqual({ action: 'retry', retryAfterMs: 60_000 });
    expect(classifyError(new Unavailable('503'), 0, 3)).toEqual({ action: 'retry', retryAfterMs: null });
    expect(classifyError(new Timeout('slow'), 0, 3)).toEqual({ action: 'retry', retryAfterMs: null });
    expect(classifyError(new InsufficientFunds('no money'), 0, 3)).toEqual({ action: 'skip' });
    expect(classifyError(new AuthFailed('bad key'), 0, 3)).toEqual({ action: 'halt', code: 'auth-failed' });
    expect(classifyError(new IpNotAllowed('ip'), 0, 3)).toEqual({ action: 'halt', code: 'ip-not-allowed' });
    expect(classifyError(new OutOfScope('scope'), 0, 3)).toEqual({ action: 'halt', code: 'out-of-scope' });
  });

  test('an unexpected error fails the round until it is the Nth in a row', () => {
    expect(classifyError(new TypeError('x'), 2, 3)).toEqual({ action: 'fail' });
    expect(classifyError(new TypeError('x'), 3, 3)).toEqual({ action: 'halt', code: 'repeated-errors' });
  });
});

describe('createRunGuarded()', () => {
  let halts: { code: HaltCode; detail: string }[];
  let stored: NewEvent[];
  let lines: Record<string, unknown>[];
  const make = (maxUnknownInARow = 3) =>
    createRunGuarded({
      clock,
      maxUnknownInARow,
      logWindowMs: 60_000,
      logger: createLogger({ main: { write: (l: string) => void lines.push(JSON.parse(l)) }, pretty: 'false' }),
      botState: { halt: async (code, detail) => (halts.push({ code, detail }), true) },
      events: { append: async (e) => (stored.push(e), stored.length) },
    });

  beforeEach(() => {
    halts = [];
    stored = [];
    lines = [];
    clock.t = 0;
  });

  test('a success passes the value through', async () => {
    expect(await make().run('x', async () => 42)).toEqual({ kind: 'ok', value: 42 });
  });

  test('a retryable error skips the round and is logged once per window', async () => {
    const g = make();
    const err = new RateLimited('too many', { retryAfterMs: 1_000 });
    expect(await g.run('candle-close', boom(err))).toEqual({ kind: 'retry', error: err, retryAfterMs: 1_000 });
    clock.t = 30_000;
    await g.run('candle-close', boom(err));
    await g.run('candle-close', boom(err));
    expect(lines.filter((l) => l.level === 'warn')).toHaveLength(1);
    clock.t = 60_000;
    await g.run('candle-close', boom(err));
    const warns = lines.filter((l) => l.level === 'warn');
    expect(warns).toHaveLength(2);
    expect(warns[1]).toMatchObject({ suppressed: 2, round: 'candle-close' });
    expect(halts).toEqual([]);
  });

  test('a rejected request is skipped with a stored event and no halt', async () => {
    const err = new MarketOffline('market is offline', { code: 'market_offline', status: 400, endpoint: 'POST /v1/orders' });
    expect(await make().run('buy KRW-ABC', boom(err))).toEqual({ kind: 'skipped', error: err });
    expect(stored).toEqual([
      {
        at: 0, level: 'warn', kind: 'rejected', message: 'buy KRW-ABC: MarketOffline: market is offline',
        data: { round: 'buy KRW-ABC', name: 'MarketOffline', code: 'market_offline', status: 400, endpoint: 'POST /v1/orders' },
      },
    ]);
    expect(halts).toEqual([]);
  });

  test('a fatal error halts at once with the code that says what to do', async () => {
    const out = await make().run('reconcile', boom(new AuthFailed('invalid_access_key')));
    expect(out).toMatchObject({ kind: 'halted', code: 'auth-failed' });
    expect(halts).toEqual([{ code: 'auth-failed', detail: 'reconcile: AuthFailed: invalid_access_key' }]);
  });

  test('N unexpected errors in a row halt; a success in between resets the count', async () => {
    const g = make(3);
    await g.run('eval', boom(new TypeError('a')));
    await g.run('eval', boom(new TypeError('b')));
    await g.run('eval', async () => 1);
    expect(g.unknownInARow('eval')).toBe(0);
    await g.run('eval', boom(new TypeError('c')));
    expect(await g.run('eval', boom(new TypeError('d')))).toMatchObject({ kind: 'failed', unknownInARow: 2 });
    expect(halts).toEqual([]);
    expect(await g.run('eval', boom(new TypeError('e')))).toMatchObject({ kind: 'halted', code: 'repeated-errors' });
    expect(halts[0]!.detail).toBe('eval: 3 unexpected errors in a row; last TypeError: e');
  });

  test("a db error halts with the driver's reason, not Drizzle's whole query", async () => {
    const g = make(1);
    const sqlite = Object.assign(new Error('database or disk is full'), { name: 'SqliteError' });
    await g.run('candle-close', boom(new Error('Failed query: insert into "orders" ("identifier", "market") values (?, ?)\nparams: cb-1,KRW-BTC', { cause: sqlite })));
    expect(halts).toEqual([{ code: 'repeated-errors', detail: 'candle-close: 1 unexpected errors in a row; last SqliteError: database or disk is full' }]);
  });

  test('streaks are counted per round, so one failing job is not masked by others succeeding', async () => {
    const g = make(2);
    await g.run('eval', boom(new Error('x')));
    await g.run('reconcile', async () => 1);
    await g.run('eval', boom(new Error('y')));
    expect(halts.map((h) => h.code)).toEqual(['repeated-errors']);
  });

  test('with the real bot state, a fatal error halts the bot and publishes the halted event', async () => {
    const published: BotEvent[] = [];
    const mem = new Map<string, unknown>();
    const repo: BotStateRepo = {
      get: async <T>(k: string) => (mem.has(k) ? { value: mem.get(k) as T, updatedAt: 0 } : null),
      set: async (k, v) => void mem.set(k, v),
      delete: async (k) => void mem.delete(k),
    };
    const state = createBotState({ repo, clock, mode: 'live', logger: silentLogger, publisher: { publish: async (e) => void published.push(e) } });
    await state.load();
    const g = createRunGuarded({ clock, logger: silentLogger, botState: state, events: { append: async () => 1 } });
    await g.run('reconcile', boom(new IpNotAllowed('this IP is not allowed')));
    expect(state.current()).toMatchObject({ state: 'halted', haltCode: 'ip-not-allowed' });
    expect(published).toEqual([{ type: 'halted', mode: 'live', at: 0, code: 'ip-not-allowed', detail: 'reconcile: IpNotAllowed: this IP is not allowed' }]);
  });
});

describe('createLogOnce()', () => {
  test('logs a key once per window and reports how many were held back', () => {
    const c = { t: 0, now() { return this.t; } };
    const once = createLogOnce(c, 100);
    const seen: number[] = [];
    expect(once.once('k', (n) => seen.push(n))).toBe(true);
    expect(once.once('k', (n) => seen.push(n))).toBe(false);
    expect(once.once('other', (n) => seen.push(n))).toBe(true);
    c.t = 100;
    expect(once.once('k', (n) => seen.push(n))).toBe(true);
    expect(seen).toEqual([0, 0, 1]);
  });
});
