// Crash test: the bot as a child process against the simulator, SIGKILLed around order submission 32 times and restarted;
// after the last restart and reconcile, the simulator and the db agree — no duplicate order, every fill, same holdings.
import { afterAll, expect, test } from 'bun:test';
import { inArray } from 'drizzle-orm';
import { seededRandom } from '../../src/bot/identifiers.ts';
import { openDatabase } from '../../src/db/client.ts';
import { heldVolume } from '../../src/db/repos/positions.ts';
import { fills, orders, positions } from '../../src/db/schema.ts';
import { startCrashRig, type BotChild, type CrashRig, type OrderTrap } from './crash-harness.ts';

const START = Date.UTC(2026, 0, 15, 3, 0, 2);
const SPEED = 300; // a 5-minute close every real second
const KILLS = 32;
/** Restarts at the end that are killed only after their first evaluated close. */
const MEASURED = 4;

let rig: CrashRig | null = null;
afterAll(async () => rig?.stop());

async function readDb(path: string) {
  const h = await openDatabase(`file:${path}`);
  try {
    return {
      orders: await h.db.select().from(orders),
      fills: await h.db.select().from(fills),
      positions: await h.db.select().from(positions),
      unsettled: (await h.db.select().from(orders).where(inArray(orders.state, ['submitting', 'unknown', 'open']))).length +
        (await h.db.select().from(positions).where(inArray(positions.state, ['opening', 'closing']))).length,
    };
  } finally {
    h.close();
  }
}

function pickTrap(r: number, delay: number): OrderTrap | null {
  if (r < 0.15) return null; // a kill at a random moment instead
  if (r < 0.35) return { mode: 'kill-and-drop' };
  if (r < 0.55) return { mode: 'kill-then-forward' };
  if (r < 0.75) return { mode: 'kill-before-reply' };
  return { mode: 'kill-after-reply', delayMs: Math.floor(delay * 700) };
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? Number.NaN;

test(`${KILLS} SIGKILLs around order submission: no duplicate order, every fill recorded, holdings match`, async () => {
  const r = (rig = await startCrashRig({ start: START, speed: SPEED, minutes: 12 * 60 }));
  const rnd = seededRandom(2026);
  const restarts: { trading: number; firstClose: number | null }[] = [];
  const counts = { trapped: 0, inFlight: 0, leftUnsettled: 0, random: 0, noOrder: 0 };
  let child: BotChild = r.spawn(SPEED);

  for (let i = 0; i < KILLS; i++) {
    const trading = await child.when('trading');
    if (trading === null) throw new Error(`bot child ${i} exited before trading (code ${child.proc.exitCode})`);
    const firstClose = child.when('close');
    const current = child;
    const kill = async () => {
      current.proc.kill('SIGKILL');
      await current.proc.exited;
    };
    const trap = i >= KILLS - MEASURED ? null : pickTrap(rnd(), rnd());
    if (i >= KILLS - MEASURED) {
      // The last few restarts run to their first evaluated close (the restart figure), then die at once.
      counts.random++;
      await firstClose;
      await kill();
    } else if (!trap) {
      counts.random++;
      await Bun.sleep(Math.floor(rnd() * 1_500));
      await kill();
    } else {
      const fired = await Promise.race([r.arm(trap, kill), Bun.sleep(6_000).then(() => false)]);
      if (!fired) (counts.noOrder++, r.disarm(), await kill());
      else counts.trapped++, trap.mode !== 'kill-after-reply' && counts.inFlight++;
    }
    await current.proc.exited;
    expect(current.proc.signalCode).toBe('SIGKILL');
    if (i > 0) restarts.push({ trading, firstClose: await firstClose });
    if ((await readDb(r.dbPath)).unsettled > 0) counts.leftUnsettled++;
    child = r.spawn(SPEED);
  }

  // The last restart: first let the running one reconcile, then freeze the market and let a fresh one reconcile and stop cleanly.
  const trading = await child.when('trading');
  restarts.push({ trading: trading ?? Number.NaN, firstClose: await child.when('close') });
  child.proc.kill('SIGKILL');
  await child.proc.exited;
  r.sim.clock.setSpeed(0);
  const last = r.spawn(0);
  expect(await last.when('trading')).not.toBeNull();
  expect(await last.when('close')).not.toBeNull();
  last.proc.kill('SIGTERM');
  expect(await last.proc.exited).toBe(0);

  const db = await readDb(r.dbPath);
  const sim = r.sim.state();
  const byIdentifier = new Map(db.orders.map((o) => [o.identifier, o]));
  // No duplicate order: every identifier once, each one written ahead in the db, never two buys for one position.
  const ids = sim.orders.map((o) => o.identifier ?? '');
  expect(new Set(ids).size).toBe(ids.length);
  for (const id of ids) expect(byIdentifier.has(id)).toBe(true);
  const buysPerPosition = new Map<number, number>();
  for (const o of sim.orders.filter((x) => x.side === 'bid')) {
    const pid = byIdentifier.get(o.identifier!)!.positionId!;
    buysPerPosition.set(pid, (buysPerPosition.get(pid) ?? 0) + 1);
  }
  expect([...buysPerPosition.values()].every((n) => n === 1)).toBe(true);
  // Every simulator fill is in the db (and nothing else is).
  expect(db.fills.map((f) => f.tradeId).sort()).toEqual(sim.fills.map((f) => f.uuid).sort());
  // Nothing half-way after reconcile and a clean stop; open positions equal the simulator's holdings, dust aside.
  expect(db.unsettled).toBe(0);
  const balances = sim.balances[Object.keys(sim.balances)[0]!]!;
  for (const b of balances.filter((x) => x.currency !== 'KRW')) {
    const market = `KRW-${b.currency}`;
    const held = db.positions.filter((p) => p.market === market && p.state === 'open').reduce((s, p) => s + heldVolume(p), 0);
    const dust = db.positions.filter((p) => p.market === market).reduce((s, p) => s + p.dustVolume, 0);
    expect(Math.abs(b.balance + b.locked - held - dust)).toBeLessThan(1e-8 * Math.max(1, held));
  }
  for (const p of db.positions.filter((x) => x.state === 'open')) {
    expect(balances.some((b) => `KRW-${b.currency}` === p.market && b.balance > 0)).toBe(true);
  }

  expect(counts.trapped + counts.random + counts.noOrder).toBe(KILLS);
  expect(counts.trapped).toBeGreaterThanOrEqual(20);
  expect(counts.inFlight).toBeGreaterThanOrEqual(10);
  const t = restarts.map((x) => x.trading);
  const c = restarts.filter((x) => x.firstClose !== null).map((x) => x.firstClose!);
  console.log(
    `crash test: ${KILLS} kills — ${counts.trapped} at an order POST (${counts.inFlight} between write-ahead and reply), ${counts.random} at random moments, ` +
      `${counts.noOrder} with no order in 6 s; ${counts.leftUnsettled} left unsettled work for reconcile; ` +
      `${sim.orders.length} simulator orders, ${sim.fills.length} fills, ${db.positions.length} positions.\n` +
      `restart_to_trading (spawn → reconciled): p50 ${pct(t, 0.5).toFixed(0)} ms, p90 ${pct(t, 0.9).toFixed(0)} ms, max ${Math.max(...t).toFixed(0)} ms; ` +
      `spawn → first close evaluated: p50 ${pct(c, 0.5).toFixed(0)} ms, p90 ${pct(c, 0.9).toFixed(0)} ms (n=${c.length})`,
  );
}, 150_000);
