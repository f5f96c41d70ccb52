import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { createBotState, transition, type RunStatus } from '../../src/bot/state.ts';
import type { DbHandle } from '../../src/db/client.ts';
import { createBotStateRepo, type BotStateRepo } from '../../src/db/repos/bot-state.ts';
import { silentLogger } from '../../src/log.ts';
import type { BotEvent } from '../../src/notify/events.ts';
import { openTestDb } from '../helpers/test-db.ts';

const running: RunStatus = { state: 'running', reason: null, since: 0, haltCode: null };
const paused: RunStatus = { state: 'paused', reason: 'x', since: 0, haltCode: null };
const halted: RunStatus = { state: 'halted', reason: 'bad key', since: 0, haltCode: 'auth-failed' };

describe('transition()', () => {
  test('pause stops entries; pause of a halted bot is refused so the halt is not weakened', () => {
    expect(transition(running, { type: 'pause', by: 'web' }, 5)).toMatchObject({ ok: true, changed: true, next: { state: 'paused', since: 5 } });
    expect(transition(paused, { type: 'pause', by: 'web' }, 5)).toMatchObject({ ok: true, changed: false });
    expect(transition(halted, { type: 'pause', by: 'web' }, 5)).toMatchObject({ ok: false });
  });

  test('resume is a person\'s command and leaves paused or halted', () => {
    expect(transition(paused, { type: 'resume', by: 'tg' }, 5)).toMatchObject({ ok: true, changed: true, next: { state: 'running', reason: null } });
    expect(transition(halted, { type: 'resume', by: 'tg' }, 5)).toMatchObject({ ok: true, changed: true, next: { state: 'running', haltCode: null } });
    expect(transition(running, { type: 'resume', by: 'tg' }, 5)).toMatchObject({ ok: true, changed: false });
  });

  test('halt wins from any state and a second halt keeps the first cause', () => {
    expect(transition(paused, { type: 'halt', code: 'repeated-errors', detail: 'd' }, 5)).toMatchObject({ next: { state: 'halted', haltCode: 'repeated-errors', reason: 'd' } });
    expect(transition(halted, { type: 'halt', code: 'other', detail: 'later' }, 9)).toMatchObject({ ok: true, changed: false, next: halted });
  });

  test('clear turns a halt into a pause and is refused otherwise', () => {
    expect(transition(halted, { type: 'clear', by: 'web' }, 5)).toMatchObject({ ok: true, next: { state: 'paused' } });
    expect(transition(running, { type: 'clear', by: 'web' }, 5)).toMatchObject({ ok: false });
  });
});

describe('createBotState()', () => {
  let h: DbHandle;
  let repo: BotStateRepo;
  let published: BotEvent[];
  const clock = { t: 1_000, now() { return this.t; } };
  const make = (r: BotStateRepo = repo) =>
    createBotState({ repo: r, clock, mode: 'live', logger: silentLogger, publisher: { publish: async (e) => void published.push(e) } });

  beforeEach(async () => {
    h = await openTestDb();
    repo = createBotStateRepo(h.db);
    published = [];
    clock.t = 1_000;
  });
  afterEach(() => h.close());

  test('blocks entries until loaded, then starts running when nothing is saved', async () => {
    const s = make();
    expect(s.isEntryAllowed()).toBe(false);
    expect(await s.load()).toMatchObject({ state: 'running', since: 1_000 });
    expect(s.isEntryAllowed()).toBe(true);
  });

  test('a halt survives a restart and only a person resumes it', async () => {
    const s = make();
    await s.load();
    clock.t = 2_000;
    expect(await s.halt('auth-failed', 'invalid_access_key')).toBe(true);
    expect(await s.halt('other', 'again')).toBe(false);
    expect(s.isEntryAllowed()).toBe(false);

    const restarted = make();
    expect(await restarted.load()).toEqual({ state: 'halted', reason: 'invalid_access_key', since: 2_000, haltCode: 'auth-failed' });
    expect(await restarted.pause('dashboard')).toMatchObject({ ok: false });
    expect(await restarted.resume('telegram')).toMatchObject({ ok: true });
    expect(restarted.current().state).toBe('running');
    expect(published.map((e) => e.type)).toEqual(['halted', 'resumed']);
    expect(published[1]).toMatchObject({ type: 'resumed', by: 'telegram', from: 'halted', mode: 'live' });
  });

  test('pause and resume publish events and are persisted', async () => {
    const s = make();
    await s.load();
    expect(await s.pause('dashboard', 'lunch')).toEqual({ ok: true, message: 'Paused: no new entries, exits go on' });
    expect((await repo.get<RunStatus>('state'))!.value.state).toBe('paused');
    await s.resume('dashboard');
    expect(published).toEqual([
      { type: 'paused', mode: 'live', at: 1_000, by: 'dashboard', reason: 'lunch' },
      { type: 'resumed', mode: 'live', at: 1_000, by: 'dashboard', from: 'paused' },
    ]);
  });

  test('a command that cannot be saved is not applied, but a halt holds in memory', async () => {
    const broken: BotStateRepo = { ...repo, set: async () => Promise.reject(new Error('disk full')) };
    const s = make(broken);
    await s.load();
    expect(await s.pause('web')).toMatchObject({ ok: false });
    expect(s.current().state).toBe('running');
    expect(await s.halt('other', 'x')).toBe(true);
    expect(s.current().state).toBe('halted');
    expect(published.map((e) => e.type)).toEqual(['halted']);
  });

  test('a halt takes effect at once, even while a pause is being saved, and wins in the end', async () => {
    const releases: (() => void)[] = [];
    const slow: BotStateRepo = { ...repo, set: (k, v, n) => new Promise<void>((r) => releases.push(r)).then(() => repo.set(k, v, n)) };
    const s = make(slow);
    await s.load();
    const pausing = s.pause('web');
    while (releases.length === 0) await Promise.resolve();
    expect(s.current().state).toBe('paused');
    const halting = s.halt('repeated-errors', '3 unknown errors');
    expect(s.current().state).toBe('halted');
    releases[0]!();
    await pausing;
    while (releases.length === 1) await Promise.resolve();
    releases[1]!();
    await halting;
    expect(s.current().state).toBe('halted');
    expect((await repo.get<RunStatus>('state'))!.value.state).toBe('halted');
    expect(published.map((e) => e.type)).toEqual(['paused', 'halted']);
  });

  test('a failed save of a pause does not undo a halt that came meanwhile', async () => {
    let reject!: (e: Error) => void;
    let calls = 0;
    const flaky: BotStateRepo = {
      ...repo,
      set: (k, v, n) => (++calls === 1 ? new Promise<void>((_, rj) => (reject = rj)) : repo.set(k, v, n)),
    };
    const s = make(flaky);
    await s.load();
    const pausing = s.pause('web');
    while (calls === 0) await Promise.resolve();
    const halting = s.halt('other', 'x');
    reject(new Error('disk full'));
    expect(await pausing).toMatchObject({ ok: false });
    await halting;
    expect(s.current().state).toBe('halted');
  });

  test('heartbeat is stored and read back', async () => {
    const s = make();
    expect(await s.lastHeartbeat()).toBeNull();
    clock.t = 42_000;
    await s.heartbeat();
    expect(await s.lastHeartbeat()).toBe(42_000);
  });
});
