// The executor's test rig: a simulator on a stepped clock, an in-memory db and the real Upbit stack pointed at it.
import type { ExecutorSettings } from '../../src/bot/executor-types.ts';
import type { DbHandle } from '../../src/db/client.ts';
import { createUpbitStack, type UpbitStackOptions } from '../../src/exchange/upbit/upbit-stack.ts';
import { ACCESS, SECRET, startTestSim, type TestSim } from '../sim/sim-client.ts';
import { openTestDb } from './test-db.ts';

/** Short polls and absence proof so a test walks an order's whole life in a few simulated seconds. */
export const QUICK_EXECUTOR_SETTINGS: Partial<ExecutorSettings> = { pollIntervalMs: 200, maxPollAttempts: 5, maxResolveAttempts: 5, absentAfterMs: 5_000 };

/** Starts the rig; its stop functions go into `cleanups` (run them in afterEach). */
export async function startSimRig(cleanups: Array<() => unknown>, stack: Pick<UpbitStackOptions, 'sleep' | 'random'>) {
  const t: TestSim = await startTestSim({ krw: 1_000_000 });
  const handle: DbHandle = await openTestDb();
  cleanups.push(() => t.sim.stop(), () => handle.close());
  const clock = t.sim.clock;
  const { exchange } = createUpbitStack({ baseUrl: t.sim.restUrl, accessKey: ACCESS, secretKey: SECRET, timeoutMs: 2_000, clock, ...stack });
  return { t, handle, clock, exchange };
}
