// Test wiring for the executor: in-memory db with the real migrations, a settable clock, the fake exchange, an event log.
import type { Clock } from '../../src/clock.ts';
import type { DbHandle } from '../../src/db/client.ts';
import { createExecutor, type Executor } from '../../src/bot/executor.ts';
import type { ExecutorEvent, ExecutorSettings } from '../../src/bot/executor-types.ts';
import { seededRandom } from '../../src/bot/identifiers.ts';
import { createFakeExchange, type FakeExchange, type FakeExchangeOptions } from '../fakes/fake-exchange.ts';
import { openTestDb } from '../helpers/test-db.ts';

export type SettableClock = Clock & { advance(ms: number): void; set(t: number): void };

export function createSettableClock(start = Date.UTC(2026, 10, 26, 3, 0, 0)): SettableClock {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms), set: (at) => void (t = at) };
}

export type Harness = {
  handle: DbHandle;
  clock: SettableClock;
  exchange: FakeExchange;
  events: ExecutorEvent[];
  executor: Executor;
  /** Events of one type, narrowed. */
  eventsOf<T extends ExecutorEvent['type']>(type: T): Extract<ExecutorEvent, { type: T }>[];
};

export const TEST_SETTINGS: Partial<ExecutorSettings> = { pollIntervalMs: 500, maxPollAttempts: 5, maxResolveAttempts: 6, absentAfterMs: 2_000 };

export async function createHarness(
  fake: Partial<Omit<FakeExchangeOptions, 'clock'>> = {},
  settings: Partial<ExecutorSettings> = {},
): Promise<Harness> {
  const handle = await openTestDb();
  const clock = createSettableClock();
  const exchange = createFakeExchange({
    clock,
    balances: { KRW: 1_000_000 },
    prices: { 'KRW-BTC': 150_000_000, 'KRW-XRP': 3_000 },
    ...fake,
  });
  const events: ExecutorEvent[] = [];
  const executor = createExecutor({
    db: handle.db,
    exchange,
    clock,
    random: seededRandom(42),
    onEvent: (e) => events.push(e),
    // Time passes only when the executor waits: polling is instant and deterministic.
    sleep: async (ms) => clock.advance(ms),
    settings: { ...TEST_SETTINGS, ...settings },
  });
  const eventsOf = <T extends ExecutorEvent['type']>(type: T) => events.filter((e): e is Extract<ExecutorEvent, { type: T }> => e.type === type);
  return { handle, clock, exchange, events, executor, eventsOf };
}
