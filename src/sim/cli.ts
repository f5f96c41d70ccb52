// `bun run sim`: serves the Upbit simulator until SIGINT/SIGTERM and prints where to point an Upbit client.
import { parseArgs } from 'node:util';
import { parseTimeParam } from './format.ts';
import { startSimulator, type SimulatorOptions } from './server.ts';

export const SIM_USAGE = `usage: bun run sim -- [options]
  --port N          listen port (default 7070; 0 = any free port)
  --host H          listen address (default 127.0.0.1)
  --access-key K    API access key clients must use (default sim-access)
  --secret-key S    API secret key (default sim-secret)
  --krw N           starting KRW balance per account (default 1000000)
  --speed N         simulated seconds per real second (default 1; 0 = frozen, step with POST /__sim/clock)
  --seed N          seed for synthetic markets and faults (default 1)
  --synthetic N     number of synthetic KRW-SYNnnn markets (default 120)
  --start ISO       simulated start time, e.g. 2025-09-02T00:00:00Z (default: one day into the data)
  --data DIR        folder with the recorded *_KRW_1m.csv files`;

export class SimArgsError extends Error {
  override readonly name = 'SimArgsError';
}

function numberArg(raw: string | undefined, flag: string, min: number, max: number, isInteger = true): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < min || n > max || (isInteger && !Number.isInteger(n))) {
    throw new SimArgsError(`Invalid --${flag}: expected ${isInteger ? 'an integer' : 'a number'} from ${min} to ${max}, got "${raw}"`);
  }
  return n;
}

/** Pure: command-line arguments → startSimulator options (throws SimArgsError with a clear message). */
export function parseSimArgs(args: string[]): SimulatorOptions & { isHelp: boolean } {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' }, host: { type: 'string' }, 'access-key': { type: 'string' }, 'secret-key': { type: 'string' },
        krw: { type: 'string' }, speed: { type: 'string' }, seed: { type: 'string' }, synthetic: { type: 'string' },
        start: { type: 'string' }, data: { type: 'string' }, help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (cause) {
    throw new SimArgsError(cause instanceof Error ? cause.message : String(cause), { cause });
  }
  const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const start = str('start');
  const startAt = start === undefined ? undefined : parseTimeParam(start);
  if (startAt === null) throw new SimArgsError(`Invalid --start: expected an ISO time such as 2025-09-02T00:00:00Z, got "${start}"`);
  for (const k of ['access-key', 'secret-key', 'host', 'data']) {
    if (str(k) === '') throw new SimArgsError(`Invalid --${k}: must not be empty`);
  }
  const opts: SimulatorOptions & { isHelp: boolean } = {
    isHelp: values.help === true,
    port: numberArg(str('port'), 'port', 0, 65_535) ?? 7070,
    hostname: str('host') ?? '127.0.0.1',
    accessKey: str('access-key') ?? 'sim-access',
    secretKey: str('secret-key') ?? 'sim-secret',
    krw: numberArg(str('krw'), 'krw', 0, 1e15, false) ?? 1_000_000,
    speed: numberArg(str('speed'), 'speed', 0, 1e6, false) ?? 1,
    seed: numberArg(str('seed'), 'seed', 0, 2 ** 32 - 1) ?? 1,
    syntheticCount: numberArg(str('synthetic'), 'synthetic', 0, 999) ?? 120,
  };
  if (startAt !== undefined) opts.startAt = startAt;
  const data = str('data');
  if (data !== undefined) opts.dataDir = data;
  return opts;
}

const waitForSignal = (): Promise<string> =>
  new Promise((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });

export async function runSimCli(args: string[], deps: { waitForStop?: () => Promise<string> } = {}): Promise<number> {
  let opts: ReturnType<typeof parseSimArgs>;
  try {
    opts = parseSimArgs(args);
  } catch (err) {
    if (!(err instanceof SimArgsError)) throw err;
    console.error(`coinbutler sim: ${err.message}\n${SIM_USAGE}`);
    return 2;
  }
  if (opts.isHelp) {
    console.log(SIM_USAGE);
    return 0;
  }
  const sim = await startSimulator({ ...opts, stepIntervalMs: 200 });
  console.log(
    [
      'Upbit simulator running',
      `  REST       ${sim.restUrl}/v1`,
      `  WebSocket  ${sim.wsUrl}  (private: ${sim.wsUrl}/private)`,
      `  access key ${opts.accessKey}`,
      `  secret key ${opts.secretKey}   (demo keys for the simulator only)`,
      `  sim time   ${new Date(sim.clock.now()).toISOString()} at ${sim.clock.speed}x`,
      `  control    POST ${sim.restUrl}/__sim/faults | GET ${sim.restUrl}/__sim/state | POST ${sim.restUrl}/__sim/clock`,
      'Press Ctrl+C to stop.',
    ].join('\n'),
  );
  const signal = await (deps.waitForStop ?? waitForSignal)();
  console.log(`coinbutler sim: ${signal}, stopping`);
  await sim.stop();
  return 0;
}
