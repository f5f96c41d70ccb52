// deploy/fly.toml: one always-on machine, the db on a mounted volume, /healthz checked, graceful stop, no secrets.
import { describe, expect, test } from 'bun:test';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadConfig, SECRET_VARS } from '../../src/config.ts';
import { envPairs, parseDockerfile, read, ROOT, stopBudgetMs } from './deploy-files.ts';

type FlyToml = {
  app: string;
  kill_signal: string;
  kill_timeout: number;
  build: { dockerfile: string };
  deploy: { strategy: string };
  env: Record<string, string>;
  mounts: { source: string; destination: string }[];
  http_service: {
    internal_port: number;
    auto_stop_machines: string | boolean;
    auto_start_machines: boolean;
    min_machines_running: number;
    checks: { path: string; method: string; interval: string; grace_period: string }[];
  };
  vm: { memory: string }[];
};

const fly = Bun.TOML.parse(read('deploy/fly.toml')) as FlyToml;

describe('fly.toml', () => {
  test('one machine that is never stopped for lack of traffic, updated in place', () => {
    const s = fly.http_service;
    expect([s.auto_stop_machines === 'off' || s.auto_stop_machines === false, s.auto_start_machines]).toEqual([true, false]);
    expect(s.min_machines_running).toBe(1);
    expect(fly.vm).toHaveLength(1);
    // canary and bluegreen start a second machine beside the first: two bots on one account.
    expect(['rolling', 'immediate']).toContain(fly.deploy.strategy);
  });

  test('the db lives on the one mounted volume', () => {
    expect(fly.mounts).toHaveLength(1);
    expect(fly.mounts[0]!.source).toMatch(/^[a-z0-9_]+$/);
    expect(fly.env.DATABASE_URL).toStartWith('file:');
    expect(dirname(fly.env.DATABASE_URL!.slice('file:'.length))).toBe(fly.mounts[0]!.destination);
  });

  test('the http service is the app\'s port (the Dockerfile\'s too) with a GET /healthz check', () => {
    const docker = parseDockerfile(read(fly.build.dockerfile));
    expect(existsSync(join(ROOT, fly.build.dockerfile))).toBe(true);
    const imageEnv = Object.fromEntries(docker.filter((s) => s.op === 'ENV').flatMap((s) => envPairs(s.args)));
    expect(fly.http_service.internal_port).toBe(Number(fly.env.PORT));
    expect(String(fly.http_service.internal_port)).toBe(imageEnv.PORT!);
    expect(fly.env.DATABASE_URL).toBe(imageEnv.DATABASE_URL!);
    expect(fly.http_service.checks).toHaveLength(1);
    expect(fly.http_service.checks[0]).toMatchObject({ method: 'GET', path: '/healthz' });
  });

  test('stops on SIGTERM and waits longer than the graceful stop can take', () => {
    expect(fly.kill_signal).toBe('SIGTERM');
    expect(fly.kill_timeout * 1_000).toBeGreaterThan(stopBudgetMs());
    expect(fly.kill_timeout).toBeLessThanOrEqual(300); // Fly's maximum
  });

  test('[env] holds no secret and is a valid config once DASHBOARD_PASSWORD is set as a Fly secret', () => {
    for (const key of SECRET_VARS) expect(Object.keys(fly.env)).not.toContain(key);
    // The mode comes only from the secrets (paper by default): a TRADING_MODE in [env] would compete with the secret.
    expect(Object.keys(fly.env)).not.toContain('TRADING_MODE');
    expect(() => loadConfig(fly.env)).toThrow('needs DASHBOARD_PASSWORD');
    expect(loadConfig({ ...fly.env, DASHBOARD_PASSWORD: 'from fly secrets' })).toMatchObject({ HOST: '0.0.0.0', PORT: 8080, TRADING_MODE: 'paper' });
  });
});
