// Test helper: a simulator on 127.0.0.1 over the fake market model, and a tiny signed-request client (jose directly).
import { SignJWT } from 'jose';
import { createSimClock } from '../../src/sim/clock.ts';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/sim/server.ts';
import { createFakeMarketModel, type FakeMarketModel } from './fake-market-model.ts';

export const ACCESS = 'test-access';
export const SECRET = 'test-secret';
export const T0 = Date.UTC(2025, 8, 2, 3, 0, 0);

export type TestSim = { sim: Simulator; model: FakeMarketModel; call: Caller };

type CallOptions = {
  query?: string;
  body?: Record<string, unknown>;
  alg?: 'HS256' | 'HS512';
  secret?: string;
  accessKey?: string;
  nonce?: string;
  /** Override the query_hash claim (tampering tests). */
  queryHash?: string;
  unsigned?: boolean;
};
export type Caller = (method: string, path: string, o?: CallOptions) => Promise<Response>;

export const sha512 = (s: string): string => new Bun.CryptoHasher('sha512').update(s).digest('hex');

export async function signToken(o: CallOptions & { hashOf?: string }): Promise<string> {
  const claims: Record<string, unknown> = { access_key: o.accessKey ?? ACCESS, nonce: o.nonce ?? crypto.randomUUID() };
  const hash = o.queryHash ?? (o.hashOf ? sha512(o.hashOf) : undefined);
  if (hash !== undefined) Object.assign(claims, { query_hash: hash, query_hash_alg: 'SHA512' });
  return new SignJWT(claims).setProtectedHeader({ alg: o.alg ?? 'HS512', typ: 'JWT' }).sign(new TextEncoder().encode(o.secret ?? SECRET));
}

export function createCaller(restUrl: string): Caller {
  return async (method, path, o = {}) => {
    const bodyText = o.body ? JSON.stringify(o.body) : undefined;
    const hashOf = o.body
      ? Object.entries(o.body).map(([k, v]) => `${k}=${String(v)}`).join('&')
      : o.query
        ? decodeURIComponent(o.query)
        : undefined;
    const headers: Record<string, string> = {};
    if (!o.unsigned) headers.authorization = `Bearer ${await signToken({ ...o, ...(hashOf ? { hashOf } : {}) })}`;
    if (bodyText) headers['content-type'] = 'application/json; charset=utf-8';
    const url = `${restUrl}${path}${o.query ? `?${o.query}` : ''}`;
    return fetch(url, { method, headers, ...(bodyText ? { body: bodyText } : {}) });
  };
}

/** A stepped (speed 0) simulator over the fake model; stop it with sim.stop(). */
export async function startTestSim(extra: Partial<SimulatorOptions> = {}): Promise<TestSim> {
  const model = createFakeMarketModel({ 'KRW-BTC': { price: 100_000_000, levelSize: 0.001 }, 'KRW-XRP': { price: 4000, levelSize: 1 } });
  const sim = await startSimulator({
    accessKey: ACCESS,
    secretKey: SECRET,
    model,
    clock: createSimClock({ startAt: T0, speed: 0 }),
    wsHub: null,
    stepIntervalMs: 0,
    ...extra,
  });
  return { sim, model, call: createCaller(sim.restUrl) };
}
