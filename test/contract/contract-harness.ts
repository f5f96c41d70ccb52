// Test harness for the contract suite: the real simulator on 127.0.0.1 and the real client (createUpbitStack),
// sharing one virtual clock so rate limits are honoured in virtual seconds and the suite stays fast.
import { createUpbitStack, type UpbitStack, type UpbitStackOptions } from '../../src/exchange/upbit/upbit-stack.ts';
import type { SimState } from '../../src/sim/control-routes.ts';
import type { FaultSettings } from '../../src/sim/faults.ts';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/sim/server.ts';
import { createVirtualTime, type VirtualTime } from '../exchange/upbit/virtual-time.ts';

export const ACCESS = 'contract-access';
export const SECRET = 'contract-secret';
/** Ten days into the recorded data, so day candles exist. */
export const START_AT = Date.UTC(2025, 8, 10, 3, 0, 0);

export type ContractSim = {
  sim: Simulator;
  vt: VirtualTime;
  /** The client under test, wired to the simulator and the virtual clock. */
  stack: UpbitStack;
  /** Another client on the same simulator and clock (e.g. a wrong secret). */
  makeStack(extra?: Partial<UpbitStackOptions>): UpbitStack;
  /** The fetch every client here uses: real sockets, time frozen while in flight. */
  fetch: (input: string, init: RequestInit) => Promise<Response>;
  state(): Promise<SimState>;
  faults(settings: Partial<FaultSettings>): Promise<void>;
  stop(): Promise<void>;
};

/** A stepped-clock simulator (speed 0, no timer, no WebSocket) over the real market model with few synthetic markets. */
export async function startContractSim(o: { sim?: Partial<SimulatorOptions>; stack?: Partial<UpbitStackOptions> } = {}): Promise<ContractSim> {
  const vt = createVirtualTime();
  const sim = await startSimulator({
    accessKey: ACCESS,
    secretKey: SECRET,
    speed: 0,
    startAt: START_AT,
    stepIntervalMs: 0,
    syntheticCount: 4,
    seed: 3,
    wsHub: null,
    realNow: vt.now,
    ...o.sim,
  });
  const tracked = vt.track((input: string, init: RequestInit) => fetch(input, init));
  const makeStack = (extra: Partial<UpbitStackOptions> = {}) =>
    createUpbitStack({
      baseUrl: sim.restUrl,
      accessKey: ACCESS,
      secretKey: SECRET,
      timeoutMs: 5_000,
      clock: { now: vt.now },
      sleep: vt.sleep,
      random: () => 1,
      fetch: tracked,
      ...o.stack,
      ...extra,
    });
  const control = (path: string, init?: RequestInit) => fetch(`${sim.restUrl}/__sim/${path}`, init);
  return {
    sim,
    vt,
    stack: makeStack(),
    makeStack,
    fetch: tracked,
    state: async () => (await (await control('state')).json()) as SimState,
    async faults(settings) {
      const res = await control('faults', { method: 'POST', body: JSON.stringify(settings) });
      if (!res.ok) throw new Error(`Could not set simulator faults: ${res.status} ${await res.text()}`);
    },
    stop: () => sim.stop(),
  };
}

/** The error a promise rejects with, or a marker when it resolves. */
export const rejectionOf = (p: Promise<unknown>): Promise<unknown> => p.then(() => 'resolved', (e: unknown) => e);
