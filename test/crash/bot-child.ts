// The crash test's bot process: startApp in demo mode against the simulator the environment names, on a clock that
// tracks the simulator's accelerated one. Prints "CRASH {json}" lines: trading (reconciled), close (evaluated).
import { loadConfig } from '../../src/config.ts';
import { startApp, stopOnSignals } from '../../src/main.ts';
import { createSimClock } from '../../src/sim/clock.ts';

const env = process.env;
const speed = Number(env.CRASH_SPEED);
const simAt = Number(env.CRASH_SIM_AT);
const realAt = Number(env.CRASH_REAL_AT);
// Same formula as the simulator's clock (real time × speed from a shared origin), so both agree on "now".
const clock = createSimClock({ startAt: simAt + (Date.now() - realAt) * speed, speed, realNow: Date.now });
const say = (event: string, data: Record<string, unknown> = {}) => console.log(`CRASH ${JSON.stringify({ event, ms: performance.now(), ...data })}`);

const config = loadConfig({ ...env, TRADING_MODE: 'demo' });
let closes = 0;
const app = await startApp({
  config,
  mode: 'demo',
  clock,
  speed: Math.max(1, speed),
  onClose: (o) => say('close', { n: ++closes, boundary: o.boundary, result: o.result, pick: o.pick }),
});
say('started');
while (!app.bot.tradeCycle()) await Bun.sleep(2);
say('trading');
await stopOnSignals(app);
say('stopped');
process.exit(0);
