import { afterEach, describe, expect, test } from 'bun:test';
import { DEFAULT_PATTERNS, jobTable, startJobs, type JobSpec, type Scheduler } from '../../src/jobs/jobs.ts';
import { createLogger } from '../../src/log.ts';

const clock = { t: 0, now() { return this.t; } };
let lines: Record<string, unknown>[] = [];
let scheduler: Scheduler | null = null;
let scopeN = 0;

function start(specs: JobSpec[], sleep?: (ms: number) => Promise<void>): Scheduler {
  lines = [];
  const logger = createLogger({ level: 'debug', pretty: 'false', main: { write: (l: string) => void lines.push(JSON.parse(l)) } });
  scheduler = startJobs({ specs, timezone: 'Asia/Seoul', logger, clock, isPaused: true, scope: `t${(scopeN += 1)}`, ...(sleep ? { sleep } : {}) });
  return scheduler;
}
afterEach(async () => {
  await scheduler?.stop(0);
  scheduler = null;
});

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
const body = (fn: JobSpec['run']): JobSpec => ({ name: 'work', pattern: '0 0 * * * *', run: fn });

describe('job table', () => {
  test('has one job per body given, with default patterns unless overridden', () => {
    const noop = () => {};
    const table = jobTable({ 'candle-close': noop, 'daily-reset': noop, 'outbox-dispatch': noop }, { 'candle-close': '* * * * * *' });
    expect(table.map((j) => [j.name, j.pattern, j.isQuiet])).toEqual([
      ['candle-close', '* * * * * *', true],
      ['daily-reset', DEFAULT_PATTERNS['daily-reset'], false],
      ['outbox-dispatch', DEFAULT_PATTERNS['outbox-dispatch'], true],
    ]);
  });

  test('candle-close runs a few seconds after every 5-minute close and daily-reset at 00:00 KST', () => {
    const noop = () => {};
    const s = start(jobTable({ 'candle-close': noop, 'daily-reset': noop, reconcile: noop, prune: noop, heartbeat: noop, 'outbox-dispatch': noop, 'event-flush': noop }));
    const from = new Date(Date.UTC(2026, 0, 1, 0, 2, 0));
    expect(s.job('candle-close').nextRuns(2, from)).toEqual([new Date(Date.UTC(2026, 0, 1, 0, 5, 5)), new Date(Date.UTC(2026, 0, 1, 0, 10, 5))]);
    expect(s.job('daily-reset').nextRun(from)).toEqual(new Date(Date.UTC(2026, 0, 1, 15, 0, 0)));
    expect(s.job('reconcile').nextRun(from)).toEqual(new Date(Date.UTC(2026, 0, 1, 0, 3, 30)));
    expect(s.job('prune').nextRun(from)).toEqual(new Date(Date.UTC(2026, 0, 1, 19, 30, 0)));
    expect(s.names()).toHaveLength(7);
    expect(s.nextRuns().every((r) => r.nextRun instanceof Date)).toBe(true);
  });

  test('two specs with one name are refused', () => {
    expect(() => start([body(() => {}), body(() => {})])).toThrow('used twice');
  });
});

describe('scheduler', () => {
  test('a run logs one line with outcome, durationMs and the body\'s result', async () => {
    const s = start([body(() => {
      clock.t += 250;
      return { sent: 2 };
    })]);
    await s.runNow('work');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'info', job: 'work', outcome: 'ok', durationMs: 250, result: { sent: 2 }, msg: 'job done' });
  });

  test('a throwing body logs one error line and the job keeps running', async () => {
    let calls = 0;
    const s = start([body(async () => {
      calls += 1;
      if (calls === 1) throw new Error('exchange down');
    })]);
    await s.runNow('work');
    await s.runNow('work');
    expect(calls).toBe(2);
    expect(lines.map((l) => [l.level, l.outcome])).toEqual([['error', 'error'], ['info', 'ok']]);
    expect((lines[0]!.err as { message: string }).message).toBe('exchange down');
  });

  test('an overrun is skipped with a warning instead of running twice', async () => {
    const gate = deferred();
    let calls = 0;
    const s = start([body(async () => {
      calls += 1;
      await gate.promise;
    })]);
    const first = s.runNow('work');
    await s.runNow('work');
    expect(calls).toBe(1);
    expect(lines).toEqual([expect.objectContaining({ level: 'warn', job: 'work', outcome: 'overrun' })]);
    gate.resolve();
    await first;
    expect(lines.at(-1)).toMatchObject({ outcome: 'ok' });
  });

  test('quiet jobs log their successful runs at debug', async () => {
    const s = start([{ name: 'beat', pattern: '* * * * * *', run: () => {}, isQuiet: true }]);
    await s.runNow('beat');
    expect(lines[0]).toMatchObject({ level: 'debug', job: 'beat', outcome: 'ok' });
  });

  test('stop() waits for a run in flight to finish', async () => {
    const gate = deferred();
    let finished = false;
    const s = start([body(async () => {
      await gate.promise;
      finished = true;
    })]);
    const running = s.runNow('work');
    let stopped = false;
    const stopping = s.stop(60_000).then((r) => ((stopped = true), r));
    await Promise.resolve();
    expect(stopped).toBe(false);
    gate.resolve();
    expect(await stopping).toEqual({ stillBusy: [] });
    expect(finished).toBe(true);
    await running;
    expect(s.job('work').isStopped()).toBe(true);
  });

  test('stop() is bounded: a run that never ends is reported, not waited for forever', async () => {
    const s = start([body(() => new Promise(() => {}))], async () => {});
    void s.runNow('work');
    expect(await s.stop(5_000)).toEqual({ stillBusy: ['work'] });
    expect(lines.at(-1)).toMatchObject({ level: 'warn', stillBusy: ['work'] });
  });

  test('no run starts after stop()', async () => {
    let calls = 0;
    const s = start([body(() => void (calls += 1))]);
    await s.stop(0);
    await s.runNow('work');
    expect(calls).toBe(0);
  });
});
