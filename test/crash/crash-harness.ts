// Crash-test plumbing: the simulator on an accelerated clock with frequent spikes, an order-watching proxy in front of
// its REST side, and the bot as a child process (test/crash/bot-child.ts) that can be SIGKILLed and restarted.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Subprocess } from 'bun';
import { createSimClock } from '../../src/sim/clock.ts';
import { startSimulator, type Simulator } from '../../src/sim/server.ts';
import { createScriptedMarket, FIVE_MIN, MINUTE, type ScriptedMarket } from '../helpers/scripted-market.ts';

export const ACCESS = 'crash-access';
export const SECRET = 'crash-secret';
const PRICES = [1_000, 2_000, 5_000, 10_000, 20_000, 50_000];

/** Six markets; bucket k spikes market k mod 6, whose price then sits 4 % up for three minutes of the next bucket. */
export function crashMarket(start: number, minutes: number): ScriptedMarket {
  const markets = Object.fromEntries(PRICES.map((price, i) => [`KRW-M${i}`, { price, volume: 100 }]));
  const model = createScriptedMarket({ start, markets });
  const t0 = Math.floor(start / FIVE_MIN) * FIVE_MIN;
  for (let k = 0; k * FIVE_MIN < minutes * MINUTE; k++) {
    const i = k % PRICES.length;
    const p = PRICES[i]!;
    model.spike(`KRW-M${i}`, t0 + k * FIVE_MIN);
    model.path(`KRW-M${i}`, t0 + (k + 1) * FIVE_MIN + 2 * MINUTE, [p * 1.04, p * 1.04, p * 1.04, p]);
  }
  return model;
}

/** What the proxy does with the next POST /v1/orders. */
export type OrderTrap =
  | { mode: 'kill-and-drop' } // killed before the POST reaches the simulator; it never does
  | { mode: 'kill-then-forward' } // killed, then the POST executes with nobody waiting for the reply
  | { mode: 'kill-before-reply' } // executed, the bot dies before it reads the reply
  | { mode: 'kill-after-reply'; delayMs: number }; // the reply arrives; the bot dies while following/settling

export type ChildEvent = { event: string; ms: number; [k: string]: unknown };

export type BotChild = {
  proc: Subprocess;
  spawnedAt: number;
  /** Resolves with the first event of that name (real ms since spawn), or null at exit. */
  when(event: string): Promise<number | null>;
  events: ChildEvent[];
};

export type CrashRig = {
  sim: Simulator;
  dbPath: string;
  /** Arms the trap for the next order POST; resolves when it fired (true) or was disarmed. */
  arm(trap: OrderTrap, kill: () => Promise<void>): Promise<boolean>;
  disarm(): void;
  orderPosts(): number;
  spawn(speed: number): BotChild;
  stop(): Promise<void>;
};

export async function startCrashRig(o: { start: number; speed: number; minutes: number }): Promise<CrashRig> {
  const model = crashMarket(o.start, o.minutes);
  const clock = createSimClock({ startAt: o.start, speed: o.speed, realNow: Date.now });
  const sim = await startSimulator({ model, clock, stepIntervalMs: 50, accessKey: ACCESS, secretKey: SECRET, krw: 10_000_000 });
  const dir = mkdtempSync(join(tmpdir(), 'coinbutler-crash-'));
  const dbPath = join(dir, 'bot.db');
  let trap: { trap: OrderTrap; kill: () => Promise<void>; done: (fired: boolean) => void } | null = null;
  let posts = 0;

  const forward = async (req: Request, body: ArrayBuffer | undefined): Promise<Response> => {
    const url = new URL(req.url);
    const res = await fetch(`${sim.restUrl}${url.pathname}${url.search}`, { method: req.method, headers: req.headers, body });
    const headers = new Headers(res.headers);
    headers.delete('content-encoding');
    headers.delete('content-length');
    return new Response(await res.arrayBuffer(), { status: res.status, headers });
  };

  const proxy = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(req) {
      const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await req.arrayBuffer();
      const isOrder = req.method === 'POST' && new URL(req.url).pathname === '/v1/orders';
      if (!isOrder) return forward(req, body);
      posts++;
      const t = trap;
      trap = null;
      if (!t) return forward(req, body);
      t.done(true);
      const m = t.trap.mode;
      if (m === 'kill-and-drop' || m === 'kill-then-forward') await t.kill();
      if (m === 'kill-and-drop') return new Response('gone', { status: 502 });
      const res = await forward(req, body);
      if (m === 'kill-before-reply') await t.kill();
      if (t.trap.mode === 'kill-after-reply') setTimeout(() => void t.kill(), t.trap.delayMs);
      return res;
    },
  });
  const restUrl = `http://127.0.0.1:${proxy.port}`;

  function spawn(speed: number): BotChild {
    const spawnedAt = performance.now();
    const proc = Bun.spawn(['bun', join(import.meta.dir, 'bot-child.ts')], {
      env: {
        PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '',
        UPBIT_REST_URL: restUrl, UPBIT_WS_URL: sim.wsUrl, UPBIT_ACCESS_KEY: ACCESS, UPBIT_SECRET_KEY: SECRET,
        DATABASE_URL: `file:${dbPath}`, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'fatal', LOG_PRETTY: 'false', LOCALE: 'en',
        DAILY_LOSS_LIMIT: '-1000000000', COOLDOWN_MINUTES: '0', MAX_POSITIONS: '3',
        CRASH_SPEED: String(speed), CRASH_SIM_AT: String(clock.now()), CRASH_REAL_AT: String(Date.now()),
      },
      stdout: 'pipe',
      stderr: 'ignore',
    });
    const events: ChildEvent[] = [];
    const firstAt = new Map<string, number>();
    const waiters: { event: string; resolve: (ms: number | null) => void }[] = [];
    void (async () => {
      let buf = '';
      for await (const chunk of proc.stdout as ReadableStream<Uint8Array>) {
        buf += new TextDecoder().decode(chunk);
        for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          if (!line.startsWith('CRASH ')) continue;
          const e = JSON.parse(line.slice(6)) as ChildEvent;
          events.push(e);
          if (!firstAt.has(e.event)) firstAt.set(e.event, performance.now() - spawnedAt);
          for (const w of waiters.filter((x) => x.event === e.event)) w.resolve(performance.now() - spawnedAt);
        }
      }
      for (const w of waiters) w.resolve(null);
    })();
    const when = (event: string) =>
      firstAt.has(event)
        ? Promise.resolve(firstAt.get(event)!)
        : new Promise<number | null>((resolve) => {
            waiters.push({ event, resolve });
            void proc.exited.then(() => setTimeout(() => resolve(null), 50));
          });
    return { proc, spawnedAt, when, events };
  }

  return {
    sim,
    dbPath,
    arm: (t, kill) => new Promise<boolean>((resolve) => (trap = { trap: t, kill, done: resolve })),
    disarm() {
      trap?.done(false);
      trap = null;
    },
    orderPosts: () => posts,
    spawn,
    async stop() {
      await proxy.stop(true);
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
