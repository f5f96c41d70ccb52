// Child processes for the engine bench: spawn `bun src/cli.ts …` with a clean environment, watch its log lines with
// real-time stamps, sample its RSS from /proc, and poll its dashboard partials like a browser.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Subprocess } from 'bun';
import { percentile } from './lib.ts';

export const ROOT = join(import.meta.dir, '..');
const CLI = join(ROOT, 'src/cli.ts');

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export type LineHit = { at: number; line: string };

export type Watched = {
  proc: Subprocess<'ignore', 'pipe', 'pipe'>;
  pid: number;
  /** performance.now() right before the spawn. */
  spawnedAt: number;
  /** Resolves at the first line (already seen or coming) matching `pattern`, stamped when it was read. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<LineHit>;
  /** The last lines, for error messages. */
  tail(n?: number): string;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  kill9(): Promise<void>;
};

/** A clean environment: no Gemini, no Telegram, no internet; JSON log lines on stdout. */
export function childEnv(extra: Record<string, string>): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    HOST: '127.0.0.1',
    PORT: '0',
    LOCALE: 'en',
    LOG_LEVEL: 'info',
    LOG_PRETTY: 'false',
    ...extra,
  };
}

/** Spawns `bun src/cli.ts <args>` (what `bun run <script>` runs, without the extra `bun run` wrapper process). */
export function spawnCli(args: string[], env: Record<string, string>): Watched {
  const kept: LineHit[] = [];
  const waiters: Array<{ pattern: RegExp; resolve: (h: LineHit) => void }> = [];
  const spawnedAt = performance.now();
  const proc = Bun.spawn(['bun', CLI, ...args], { cwd: ROOT, env, stdin: 'ignore', stdout: 'pipe', stderr: 'pipe' });

  function onLine(line: string) {
    const hit = { at: performance.now(), line };
    kept.push(hit);
    if (kept.length > 400) kept.splice(0, 200);
    for (let i = waiters.length - 1; i >= 0; i--) {
      if (waiters[i]!.pattern.test(line)) waiters.splice(i, 1)[0]!.resolve(hit);
    }
  }
  async function drain(stream: ReadableStream<Uint8Array>) {
    const decoder = new TextDecoder();
    let rest = '';
    for await (const chunk of stream) {
      const parts = (rest + decoder.decode(chunk, { stream: true })).split('\n');
      rest = parts.pop() ?? '';
      for (const p of parts) onLine(p);
    }
    if (rest) onLine(rest);
  }
  void drain(proc.stdout);
  void drain(proc.stderr);

  const tail = (n = 12) => kept.slice(-n).map((h) => h.line.slice(0, 300)).join('\n');
  return {
    proc,
    pid: proc.pid,
    spawnedAt,
    tail,
    waitFor(pattern, timeoutMs) {
      const seen = kept.find((h) => pattern.test(h.line));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const waiter = { pattern, resolve: (h: LineHit) => (clearTimeout(timer), resolve(h)) };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms (exit ${proc.exitCode}):\n${tail()}`));
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    async stop(graceMs = 8_000) {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      const exited = await Promise.race([proc.exited.then(() => true), sleep(graceMs).then(() => false)]);
      if (!exited) proc.kill('SIGKILL');
      await proc.exited;
    },
    async kill9() {
      proc.kill('SIGKILL');
      await proc.exited;
    },
  };
}

/** Resident memory of a process in MB (VmRSS), or null once it is gone. */
export function rssMb(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

export type RssSampler = { stop(): RssFigures };
/** VmRSS samples (MB), and at the end its split: anonymous memory vs file-backed pages (the Bun binary's code, shared, reclaimable). */
export type RssFigures = { max: number; last: number; p50: number; samples: number; anonMb: number | null; fileMb: number | null };

/** Anonymous and file-backed resident MB from /proc/<pid>/smaps_rollup, or nulls once the process is gone. */
export function rssSplitMb(pid: number): { anonMb: number | null; fileMb: number | null } {
  try {
    const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? Number.NaN);
    return { anonMb: kb('Anonymous') / 1024, fileMb: (kb('Rss') - kb('Anonymous')) / 1024 };
  } catch {
    return { anonMb: null, fileMb: null };
  }
}

export function sampleRss(pid: number, everyMs = 1_000): RssSampler {
  const values: number[] = [];
  const take = () => {
    const v = rssMb(pid);
    if (v !== null) values.push(v);
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      const split = rssSplitMb(pid);
      const p50 = percentile([...values].sort((a, b) => a - b), 50);
      return { max: Math.max(...values), last: values[values.length - 1] ?? Number.NaN, p50, samples: values.length, ...split };
    },
  };
}

/** RSS of a bare Bun process serving one route: the runtime's own share of every figure above. */
export async function bareBunRssMb(): Promise<number | null> {
  const code = "Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response('ok') }); setInterval(() => {}, 1000);";
  const proc = Bun.spawn(['bun', '-e', code], { stdin: 'ignore', stdout: 'ignore', stderr: 'ignore' });
  await sleep(1_500);
  const mb = rssMb(proc.pid);
  proc.kill('SIGKILL');
  await proc.exited;
  return mb;
}

export const PARTIALS = ['status', 'cards', 'positions', 'trades', 'logs'] as const;

export type Poller = { stop(): Promise<{ rounds: number; failures: number; maxMs: number }> };

/** A browser on the dashboard: the page once, then every partial every `everyMs` with HX-Request: true. */
export function pollDashboard(url: string, everyMs = 5_000): Poller {
  let [rounds, failures, maxMs, isStopped] = [0, 0, 0, false];
  const get = async (path: string, isHtmx: boolean) => {
    const t = performance.now();
    try {
      const res = await fetch(`${url}${path}`, { headers: isHtmx ? { 'HX-Request': 'true' } : {} });
      await res.arrayBuffer();
      if (!res.ok) failures++;
    } catch {
      failures++;
    }
    maxMs = Math.max(maxMs, performance.now() - t);
  };
  const loop = (async () => {
    await get('/', false);
    while (!isStopped) {
      await Promise.all(PARTIALS.map((p) => get(`/partials/${p}`, true)));
      rounds++;
      for (let waited = 0; waited < everyMs && !isStopped; waited += 250) await sleep(250);
    }
  })();
  return {
    async stop() {
      isStopped = true;
      await loop;
      return { rounds, failures, maxMs };
    },
  };
}

/** The simulator's own counters (GET /__sim/state): sim time and requests per rate-limit group. */
export async function simCounters(restUrl: string): Promise<{ now: number; requests: Record<string, number> }> {
  const res = await fetch(`${restUrl}/__sim/state`);
  if (!res.ok) throw new Error(`GET /__sim/state answered ${res.status}`);
  const s = (await res.json()) as { now: number; requests: Record<string, number> };
  return { now: s.now, requests: s.requests };
}

export function requestDelta(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) out[k] = (b[k] ?? 0) - (a[k] ?? 0);
  return out;
}

export const sum = (r: Record<string, number>) => Object.values(r).reduce((s, v) => s + v, 0);
