// Dashboard figures against a real server process (bench/dashboard-serve.ts: Bun.serve on 127.0.0.1 over the read
// models on a 10,000-trade file db): server time per partial with 50 pollers at once, bytes per 5-second poll cycle,
// page weight, and the resident memory of the process while 5 dashboards poll (quick: 1 minute; full: 10 minutes).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ASSETS } from '../src/web/components/layout.tsx';
import { TRADES } from './dashboard-serve.ts';
import { percentile, round, type Bench, type BenchResult } from './lib.ts';

const POLLERS = 50;
const DASHBOARDS = 5;
const GOAL_P99_MS = 20;
const CYCLE_MS = 5_000;
/** dashboard.js refreshes the PnL charts every 30 s, i.e. every 6th cycle. */
const PNL_EVERY = 6;
const HX = { 'hx-request': 'true' };

/** What one open dashboard fetches every 5 s: the polled regions (htmx) and the market chart (dashboard.js). */
const POLLED = [
  { name: 'status', path: '/partials/status', headers: HX },
  { name: 'cards', path: '/partials/cards', headers: HX },
  { name: 'positions', path: '/partials/positions', headers: HX },
  { name: 'trades', path: '/partials/trades?page=1', headers: HX },
  { name: 'decisions', path: '/partials/decisions', headers: HX },
  { name: 'logs', path: '/partials/logs', headers: HX },
  { name: 'chart', path: '/api/chart?market=KRW-SOL', headers: {} },
];
const PNL = { name: 'pnl', path: '/api/pnl?days=30', headers: {} };
type Endpoint = (typeof POLLED)[number];

type Server = { url: string; get(path: string, headers?: Record<string, string>): Promise<Response>; stop(): Promise<void> };

/** A server process on `dir`/bench.db; `isFresh` seeds the db first (in that process, so start another to measure memory). */
async function startServer(dir: string, isFresh: boolean): Promise<Server> {
  const args = ['bun', join(import.meta.dir, 'dashboard-serve.ts'), join(dir, 'bench.db'), ...(isFresh ? ['--fresh'] : [])];
  const child = Bun.spawn(args, { stdout: 'pipe', stderr: 'inherit' });
  const reader = child.stdout.getReader();
  let text = '';
  const deadline = Date.now() + 60_000;
  while (!/READY (\S+)/.test(text) && Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`dashboard server exited before READY:\n${text}`);
    text += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  const url = /READY (\S+)/.exec(text)?.[1];
  if (!url) throw new Error('dashboard server did not print READY within 60 s');
  return {
    url,
    get: (path, headers = {}) => fetch(url + path, { headers }),
    async stop() {
      child.kill('SIGTERM');
      await child.exited;
    },
  };
}

/** Bytes of a response as sent: status line, headers and body (no compression is configured). */
async function wireBytes(res: Response): Promise<number> {
  let head = `HTTP/1.1 ${res.status} ${res.statusText}\r\n`.length + 2;
  res.headers.forEach((v, k) => (head += k.length + v.length + 4));
  return head + (await res.arrayBuffer()).byteLength;
}

/** `rounds` bursts of POLLERS simultaneous requests to each endpoint in `group`, each round with a cold read cache. */
type Timings = Record<string, { handler: number[]; sinceRound: number[] }>;
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

async function burst(s: Server, group: Endpoint[], rounds: number): Promise<{ server: Timings; rtt: number[] }> {
  const rtt: number[] = [];
  await s.get('/__bench/timings?record=1');
  for (let r = 0; r < rounds; r++) {
    await s.get('/__bench/next-round');
    await Promise.all(Array.from({ length: POLLERS }, () => group.map(async (e) => {
      const t = performance.now();
      const res = await s.get(e.path, e.headers);
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`${e.path} answered ${res.status}`);
      rtt.push(performance.now() - t);
    })).flat());
  }
  const server = (await (await s.get('/__bench/timings')).json()) as Timings;
  return { server, rtt: rtt.sort((a, b) => a - b) };
}

const ms = (name: string, value: number, note: string, hasGoal: boolean): BenchResult => ({
  name, value: round(value, 2), unit: 'ms', baseline: hasGoal ? `goal p99 < ${GOAL_P99_MS} ms` : 'median', meetsGoal: hasGoal ? value < GOAL_P99_MS : null, note,
});

/**
 * Per partial: bursts of POLLERS identical requests. The goal figure is server time with queueing: from the burst's
 * first request reaching the server to this response being ready (a poller waits behind the others' rendering).
 */
async function latencyFigures(s: Server, isQuick: boolean): Promise<BenchResult[]> {
  const rounds = isQuick ? 10 : 40;
  const out: BenchResult[] = [];
  const worst = { queued: { name: '', p99: 0 }, handler: { name: '', p99: 0 }, rtt: { name: '', p99: 0 } };
  const keepWorst = (k: keyof typeof worst, name: string, p99: number) => void (p99 > worst[k].p99 && (worst[k] = { name, p99 }));
  for (const e of [...POLLED, PNL]) {
    const { server, rtt } = await burst(s, [e], rounds);
    const t = server[e.path] ?? { handler: [], sinceRound: [] };
    const queued = sorted(t.sinceRound);
    const note = `server time incl. queueing, ${POLLERS} requests at once × ${rounds} rounds, cold 1-s read cache, ${TRADES} trades, file db`;
    out.push(ms(`partial_${e.name}_p50_ms`, percentile(queued, 50), note, false), ms(`partial_${e.name}_p99_ms`, percentile(queued, 99), note, true));
    keepWorst('queued', e.name, percentile(queued, 99));
    keepWorst('handler', e.name, percentile(sorted(t.handler), 99));
    keepWorst('rtt', e.name, percentile(rtt, 99));
  }
  out.unshift(
    ms('partial_p99_ms', worst.queued.p99, `the slowest partial's p99 (${worst.queued.name}) with ${POLLERS} concurrent pollers: server time incl. waiting behind the others`, true),
    { ...ms('partial_handler_p99_ms', worst.handler.p99, `the slowest partial's p99 (${worst.handler.name}) inside its own handler, queueing excluded`, false), baseline: 'no goal (one request alone)' },
    { ...ms('partial_roundtrip_p99_ms', worst.rtt.p99, `the slowest partial's p99 (${worst.rtt.name}) as a poller sees it (client in the bench process, same 2 cores)`, false), baseline: 'no goal (client view)' },
  );
  // Every dashboard polling every region at the same instant: the worst case of synchronised pollers.
  const cycle = await burst(s, POLLED, isQuick ? 3 : 10);
  const all = sorted(Object.values(cycle.server).flatMap((t) => t.sinceRound));
  const sync = `${POLLERS} dashboards × ${POLLED.length} requests at once (synchronised worst case)`;
  out.push({ ...ms('cycle_server_p99_ms', percentile(all, 99), `${sync}: server time incl. queueing`, false), baseline: 'no goal' });
  out.push({ ...ms('cycle_roundtrip_p99_ms', percentile(cycle.rtt, 99), `${sync}: as the pollers see it`, false), baseline: 'no goal (client view)' });
  return out;
}

async function weightFigures(s: Server): Promise<BenchResult[]> {
  let cycle = 0;
  for (const e of POLLED) cycle += await wireBytes(await s.get(e.path, e.headers));
  cycle += (await wireBytes(await s.get(PNL.path))) / PNL_EVERY;
  let page = await wireBytes(await s.get('/'));
  for (const path of Object.values(ASSETS)) page += await wireBytes(await s.get(path));
  const kb = (n: number) => round(n / 1024, 1);
  return [
    { name: 'poll_cycle_kb', value: kb(cycle), unit: 'KB', baseline: 'per dashboard per 5 s', meetsGoal: null, note: `${POLLED.length} requests + /api/pnl every ${PNL_EVERY}th cycle, headers included, uncompressed; ${round((cycle * 720) / 2 ** 20, 1)} MB per hour` },
    { name: 'page_weight_kb', value: kb(page), unit: 'KB', baseline: 'first load, uncompressed', meetsGoal: null, note: 'HTML + app.css + dashboard.js + vendored htmx and lightweight-charts' },
  ];
}

const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

/** DASHBOARDS pollers on their own 5-second schedules (staggered) for `durationMs`; resident memory sampled every 5 s. */
async function memoryFigures(s: Server, durationMs: number): Promise<BenchResult[]> {
  const rss = async () => ((await (await s.get('/__bench/memory')).json()) as { rss: number }).rss / 2 ** 20;
  const idle = await rss();
  const end = Date.now() + durationMs;
  let requests = 0;
  const dashboard = async (i: number) => {
    await sleep((i * CYCLE_MS) / DASHBOARDS);
    for (const path of ['/', ...Object.values(ASSETS)]) await (await s.get(path)).arrayBuffer();
    for (let n = 0; Date.now() < end; n++) {
      const started = Date.now();
      await Promise.all([...POLLED, ...(n % PNL_EVERY === 0 ? [PNL] : [])].map(async (e) => {
        await (await s.get(e.path, e.headers)).arrayBuffer();
        requests++;
      }));
      await sleep(Math.max(0, CYCLE_MS - (Date.now() - started)));
    }
  };
  const samples: number[] = [];
  const sampler = (async () => {
    while (Date.now() < end) {
      await sleep(CYCLE_MS);
      samples.push(await rss());
    }
  })();
  await Promise.all([...Array.from({ length: DASHBOARDS }, (_, i) => dashboard(i)), sampler]);
  const peak = Math.max(...samples);
  const minutes = round(durationMs / 60_000, 1);
  const note = `a fresh server process: ${DASHBOARDS} dashboards load the page, then poll for ${minutes} min (${requests} requests); idle before ${round(idle, 1)} MB`;
  return [
    { name: 'rss_5_dashboards_peak_mb', value: round(peak, 1), unit: 'MB', baseline: `over ${minutes} min`, meetsGoal: null, note },
    { name: 'rss_5_dashboards_end_mb', value: round(samples.at(-1) ?? peak, 1), unit: 'MB', baseline: `first sample ${round(samples[0] ?? 0, 1)} MB`, meetsGoal: null, note: 'growth from the first to the last sample would show a leak' },
  ];
}

export const bench: Bench = {
  name: 'dashboard',
  async run({ isQuick }) {
    const dir = mkdtempSync(join(tmpdir(), 'cb-dashboard-'));
    try {
      const out: BenchResult[] = [];
      const seeded = await startServer(dir, true);
      try {
        for (let i = 0; i < 10; i++) for (const e of [...POLLED, PNL]) await (await seeded.get(e.path, e.headers)).arrayBuffer(); // warm-up
        out.push(...(await latencyFigures(seeded, isQuick)), ...(await weightFigures(seeded)));
      } finally {
        await seeded.stop();
      }
      const fresh = await startServer(dir, false);
      try {
        out.push(...(await memoryFigures(fresh, isQuick ? 60_000 : 600_000)));
      } finally {
        await fresh.stop();
      }
      return out;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

if (import.meta.main) {
  for (const r of await bench.run({ isQuick: process.argv.includes('--quick') })) {
    console.log(`${r.name.padEnd(34)} ${String(r.value).padStart(9)} ${r.unit.padEnd(3)} ${r.baseline}${r.meetsGoal === false ? '  NOT MET' : ''}  (${r.note})`);
  }
}
