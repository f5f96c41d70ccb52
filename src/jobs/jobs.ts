// Croner wrappers and the single job table. Bodies are injected; this module only schedules, guards and logs.
import { Cron } from 'croner';
import type { Clock } from '../clock.ts';
import type { Logger } from '../log.ts';

export type JobName = 'candle-close' | 'reconcile' | 'daily-reset' | 'heartbeat' | 'prune' | 'outbox-dispatch' | 'event-flush';
export type JobContext = { name: string; startedAt: number };
/** A job body; what it returns (a count, a small report object) is logged with the run. */
export type JobBody = (ctx: JobContext) => unknown;
export type JobSpec = {
  name: string;
  /** Six-field croner pattern (seconds first), read in the scheduler's timezone. */
  pattern: string;
  run: JobBody;
  /** Frequent housekeeping: successful runs log at debug instead of info. */
  isQuiet?: boolean;
};

/** When each job runs. Times of day are in the scheduler's timezone (TZ_TRADING, Asia/Seoul). */
export const DEFAULT_PATTERNS: Readonly<Record<JobName, string>> = {
  /** 5 s after every 5-minute close, so the closing candle has arrived. */
  'candle-close': '5 */5 * * * *',
  /** Every 3 minutes, off the candle-close second. */
  reconcile: '30 */3 * * * *',
  /** 00:00 KST: daily summary, the loss limit resets. */
  'daily-reset': '0 0 0 * * *',
  heartbeat: '*/30 * * * * *',
  /** Old events and delivered notifications, once a day in a quiet hour. */
  prune: '0 30 4 * * *',
  'outbox-dispatch': '*/5 * * * * *',
  'event-flush': '*/2 * * * * *',
};

/** Frequent jobs: their routine runs (and skipped overlaps) log at debug. candle-close polls every second. */
const QUIET: ReadonlySet<JobName> = new Set(['heartbeat', 'outbox-dispatch', 'event-flush', 'candle-close']);

/** The job table: one spec per body given, with default patterns unless overridden (e.g. the accelerated demo). */
export function jobTable(bodies: Partial<Record<JobName, JobBody>>, patterns: Partial<Record<JobName, string>> = {}): JobSpec[] {
  return (Object.keys(DEFAULT_PATTERNS) as JobName[])
    .filter((name) => bodies[name] !== undefined)
    .map((name) => ({ name, pattern: patterns[name] ?? DEFAULT_PATTERNS[name], run: bodies[name]!, isQuiet: QUIET.has(name) }));
}

export type SchedulerDeps = {
  specs: readonly JobSpec[];
  timezone: string;
  logger: Logger;
  clock: Clock;
  /** The bounded wait of stop(); a timer by default, injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
  /** Create the jobs paused (tests drive them with trigger()); resume() starts the timers. */
  isPaused?: boolean;
  /** Prefix for croner's process-wide job names, so two schedulers in one process do not collide. */
  scope?: string;
  /** Called after every run with its duration (metrics). */
  onRun?: (run: { job: string; durationMs: number; outcome: 'ok' | 'error' }) => void;
};

export type StopReport = { stillBusy: string[] };

export type Scheduler = {
  /** The croner job of a name (for trigger(), nextRun(), isBusy()). */
  job(name: string): Cron;
  names(): string[];
  /** Runs a job now through the same guard and log line as a scheduled run. */
  runNow(name: string): Promise<void>;
  nextRuns(): { name: string; nextRun: Date | null }[];
  resume(): void;
  /** Stops every job and waits up to timeoutMs for runs in flight (croner's stop() does not wait). */
  stop(timeoutMs?: number): Promise<StopReport>;
};

export function startJobs(deps: SchedulerDeps): Scheduler {
  const { logger, clock } = deps;
  const inFlight = new Map<string, Promise<void>>();
  const jobs = new Map<string, Cron>();
  let isStopped = false;

  const overrun = (spec: JobSpec) =>
    logger[spec.isQuiet ? 'debug' : 'warn']({ job: spec.name, outcome: 'overrun' }, 'job still running; this run skipped');

  async function execute(spec: JobSpec): Promise<void> {
    const startedAt = clock.now();
    try {
      const result = await spec.run({ name: spec.name, startedAt });
      const line = { job: spec.name, outcome: 'ok', durationMs: clock.now() - startedAt, ...(result === undefined ? {} : { result }) };
      deps.onRun?.({ job: spec.name, durationMs: line.durationMs, outcome: 'ok' });
      if (spec.isQuiet) logger.debug(line, 'job done');
      else logger.info(line, 'job done');
    } catch (err) {
      const durationMs = clock.now() - startedAt;
      deps.onRun?.({ job: spec.name, durationMs, outcome: 'error' });
      logger.error({ job: spec.name, outcome: 'error', durationMs, err }, 'job failed');
    }
  }

  /** One run, guarded against overlap here too: croner's protect does not cover trigger(). */
  async function guarded(spec: JobSpec): Promise<void> {
    if (isStopped) return;
    if (inFlight.has(spec.name)) return overrun(spec);
    // Removed from inFlight before the tracked promise settles, so stop() sees an accurate list.
    const run = execute(spec).finally(() => inFlight.delete(spec.name));
    inFlight.set(spec.name, run);
    await run;
  }

  for (const spec of deps.specs) {
    if (jobs.has(spec.name)) throw new Error(`Could not schedule jobs: the name ${spec.name} is used twice`);
    const cron = new Cron(
      spec.pattern,
      {
        name: deps.scope ? `${deps.scope}:${spec.name}` : spec.name,
        timezone: deps.timezone,
        paused: deps.isPaused ?? false,
        protect: () => overrun(spec),
        catch: (err) => logger.error({ job: spec.name, outcome: 'error', err }, 'job failed outside its guard'),
      },
      () => guarded(spec),
    );
    jobs.set(spec.name, cron);
  }

  const job = (name: string): Cron => {
    const j = jobs.get(name);
    if (!j) throw new Error(`No job named ${name}`);
    return j;
  };

  return {
    job,
    names: () => [...jobs.keys()],
    runNow: (name) => job(name).trigger(),
    nextRuns: () => [...jobs].map(([name, j]) => ({ name, nextRun: j.nextRun() })),
    resume: () => jobs.forEach((j) => j.resume()),
    async stop(timeoutMs = 10_000) {
      isStopped = true;
      for (const j of jobs.values()) j.stop();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const limit = deps.sleep ? deps.sleep(timeoutMs) : new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)));
      let isTimedOut = false;
      await Promise.race([Promise.allSettled([...inFlight.values()]), limit.then(() => (isTimedOut = true))]);
      clearTimeout(timer);
      const stillBusy = [...inFlight.keys()];
      if (isTimedOut && stillBusy.length > 0) logger.warn({ stillBusy, timeoutMs }, 'jobs still running after stop timeout');
      return { stillBusy };
    },
  };
}
