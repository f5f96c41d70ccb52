// Fault injection for the simulator: latency, random 5xx, 429 storms, lost order responses, WebSocket drops.
// Draws come from a seeded PRNG so a failing run can be repeated.
import { createPrng } from './prng.ts';

/** Body of POST /__sim/faults; every field optional, merged into the current settings. */
export type FaultSettings = {
  /** Added delay before every /v1 reply. */
  latencyMs: number;
  /** Probability (0..1) that a /v1 request answers 500 internal_server_error without executing. */
  errorRate5xx: number;
  /** Seconds (real time, from now) during which every /v1 request answers 429. */
  storm429: number;
  /** The next N POST /v1/orders execute, but their connection is dropped before the reply. */
  dropOrderResponse: number;
  /** True closes every WebSocket now (one-shot; not stored). */
  dropWebSockets: boolean;
};

export type FaultState = { latencyMs: number; errorRate5xx: number; storm429Until: number; dropOrderResponse: number };

export type Faults = {
  /** Merges settings; returns whether WebSockets should be dropped now. */
  apply(input: Partial<FaultSettings>): { dropWebSockets: boolean };
  state(): FaultState;
  latencyMs(): number;
  isStorming(): boolean;
  draw5xx(): boolean;
  /** Consumes one pending "drop the order response" fault. */
  takeOrderDrop(): boolean;
  reset(): void;
};

export class FaultInputError extends Error {
  override readonly name = 'FaultInputError';
}

function num(v: unknown, field: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw new FaultInputError(`Invalid fault setting: ${field} must be a number in [${min}, ${max}], got ${JSON.stringify(v)}`);
  }
  return v;
}

export function createFaults(deps: { seed: number; realNow: () => number }): Faults {
  const prng = createPrng(deps.seed ^ 0x5eed);
  const s: FaultState = { latencyMs: 0, errorRate5xx: 0, storm429Until: 0, dropOrderResponse: 0 };
  return {
    apply(input) {
      if (input.latencyMs !== undefined) s.latencyMs = num(input.latencyMs, 'latencyMs', 0, 60_000);
      if (input.errorRate5xx !== undefined) s.errorRate5xx = num(input.errorRate5xx, 'errorRate5xx', 0, 1);
      if (input.storm429 !== undefined) s.storm429Until = deps.realNow() + num(input.storm429, 'storm429', 0, 3600) * 1000;
      if (input.dropOrderResponse !== undefined) s.dropOrderResponse = Math.floor(num(input.dropOrderResponse, 'dropOrderResponse', 0, 1000));
      return { dropWebSockets: input.dropWebSockets === true };
    },
    state: () => ({ ...s }),
    latencyMs: () => s.latencyMs,
    isStorming: () => deps.realNow() < s.storm429Until,
    draw5xx: () => s.errorRate5xx > 0 && prng.next() < s.errorRate5xx,
    takeOrderDrop() {
      if (s.dropOrderResponse <= 0) return false;
      s.dropOrderResponse--;
      return true;
    },
    reset() {
      Object.assign(s, { latencyMs: 0, errorRate5xx: 0, storm429Until: 0, dropOrderResponse: 0 });
    },
  };
}
